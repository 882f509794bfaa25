<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ConsentsBox</name>
    <message>
        <source>Until revoked</source>
        <translation>취소할 때까지</translation>
    </message>
    <message>
        <source>Revoked {scope}; Aurora will ask again next time.</source>
        <translation>{scope} 동의를 취소했습니다. 다음에 Aurora가 다시 묻습니다.</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>범위</translation>
    </message>
    <message>
        <source>Granted</source>
        <translation>허용한 때</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>만료</translation>
    </message>
    <message>
        <source>Consents granted</source>
        <translation>허용한 동의</translation>
    </message>
    <message>
        <source>Re&amp;voke</source>
        <translation>취소(&amp;V)</translation>
    </message>
    <message>
        <source>Revoke the selected consent</source>
        <translation>선택한 동의 취소</translation>
    </message>
    <message>
        <source>R&amp;eload</source>
        <translation>다시 읽기(&amp;E)</translation>
    </message>
</context>
</TS>
