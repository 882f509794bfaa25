<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>MultiChoiceButton</name>
    <message>
        <source>any</source>
        <translation>모두</translation>
    </message>
</context>
<context>
    <name>RangeEditor</name>
    <message>
        <source>{name}: comparison</source>
        <translation>{name}: 비교</translation>
    </message>
    <message>
        <source>{name}: value</source>
        <translation>{name}: 값</translation>
    </message>
    <message>
        <source>any</source>
        <translation>모두</translation>
    </message>
    <message>
        <source>{range} (edit in JSON)</source>
        <translation>{range} (JSON에서 편집)</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>비교</translation>
    </message>
</context>
</TS>
