<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>LedgerText</name>
    <message>
        <source>Allowed once</source>
        <translation>이번만 허용</translation>
    </message>
    <message>
        <source>Always allowed</source>
        <translation>항상 허용</translation>
    </message>
    <message>
        <source>Allowed earlier</source>
        <translation>이전에 허용함</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>응답함</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>중지됨</translation>
    </message>
    <message>
        <source>Refused: {reason}</source>
        <translation>거부됨: {reason}</translation>
    </message>
    <message>
        <source>Failed: {reason}</source>
        <translation>실패: {reason}</translation>
    </message>
</context>
</TS>
