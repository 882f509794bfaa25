<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>AuroraApp</name>
    <message>
        <source>Local only: no request leaves this device.</source>
        <translation>로컬 전용: 어떤 요청도 이 기기를 벗어나지 않습니다.</translation>
    </message>
    <message>
        <source>Cloud models may be used again.</source>
        <translation>클라우드 모델을 다시 사용할 수 있습니다.</translation>
    </message>
    <message>
        <source>Installed {model}.</source>
        <translation>{model}을(를) 설치했습니다.</translation>
    </message>
    <message>
        <source>Allowed once: {scope}</source>
        <translation>한 번 허용: {scope}</translation>
    </message>
    <message>
        <source>Always allowed: {scope}</source>
        <translation>항상 허용: {scope}</translation>
    </message>
    <message>
        <source>Denied: {scope}</source>
        <translation>거부: {scope}</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>라우팅</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>채팅</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>동의</translation>
    </message>
    <message>
        <source>Local API</source>
        <translation>로컬 API</translation>
    </message>
</context>
</TS>
