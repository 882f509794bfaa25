<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>SettingsWindow</name>
    <message>
        <source>Aurora — settings</source>
        <translation>Aurora — 설정</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>설정 페이지</translation>
    </message>
</context>
</TS>
