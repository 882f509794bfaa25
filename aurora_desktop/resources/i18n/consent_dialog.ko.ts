<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ConsentDialog</name>
    <message>
        <source>Aurora — consent</source>
        <translation>Aurora — 동의</translation>
    </message>
    <message>
        <source>Consent request</source>
        <translation>동의 요청</translation>
    </message>
    <message>
        <source>{app} wants to send this to {recipient}.</source>
        <translation>{app}이(가) 이 내용을 {recipient}(으)로 보내려고 합니다.</translation>
    </message>
    <message>
        <source>Send this to {recipient}?</source>
        <translation>{recipient}(으)로 이 내용을 보낼까요?</translation>
    </message>
    <message>
        <source>App:</source>
        <translation>앱:</translation>
    </message>
    <message>
        <source>Scope:</source>
        <translation>범위:</translation>
    </message>
    <message>
        <source>Why:</source>
        <translation>이유:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>크기:</translation>
    </message>
    <message>
        <source>{bytes} bytes</source>
        <translation>{bytes}바이트</translation>
    </message>
    <message>
        <source>&amp;Exactly this would be sent (personal data masked):</source>
        <translation>보낼 내용 그대로(개인정보는 가림)(&amp;E):</translation>
    </message>
    <message>
        <source>Data that would be sent</source>
        <translation>보낼 데이터</translation>
    </message>
    <message>
        <source>Nothing is sent unless you allow it.</source>
        <translation>허용하지 않으면 아무것도 보내지 않습니다.</translation>
    </message>
    <message>
        <source>&amp;Always allow</source>
        <translation>항상 허용(&amp;A)</translation>
    </message>
    <message>
        <source>Always allow</source>
        <translation>항상 허용</translation>
    </message>
    <message>
        <source>How long Always allow lasts</source>
        <translation>&apos;항상 허용&apos;을 유지할 기간</translation>
    </message>
    <message>
        <source>Until I revoke it</source>
        <translation>직접 철회할 때까지</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1시간</translation>
    </message>
    <message>
        <source>1 day</source>
        <translation>1일</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7일</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30일</translation>
    </message>
    <message>
        <source>Allow &amp;once</source>
        <translation>이번만 허용(&amp;O)</translation>
    </message>
    <message>
        <source>Allow once</source>
        <translation>이번만 허용</translation>
    </message>
    <message>
        <source>&amp;Deny</source>
        <translation>거부(&amp;D)</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>거부</translation>
    </message>
    <message>
        <source>Answers Deny in {seconds} s</source>
        <translation>{seconds}초 후 자동으로 거부합니다</translation>
    </message>
</context>
</TS>
