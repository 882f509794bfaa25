<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ProviderDialog</name>
    <message>
        <source>Edit cloud provider</source>
        <translation>클라우드 공급자 편집</translation>
    </message>
    <message>
        <source>Add cloud provider</source>
        <translation>클라우드 공급자 추가</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>이름(&amp;N):</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>기본 URL(&amp;B):</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>모델(&amp;M):</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API 키(&amp;K):</translation>
    </message>
    <message>
        <source>Provider name</source>
        <translation>공급자 이름</translation>
    </message>
    <message>
        <source>e.g. openai</source>
        <translation>예: openai</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>기본 URL</translation>
    </message>
    <message>
        <source>Model name</source>
        <translation>모델 이름</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 키</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored key</source>
        <translation>저장된 키를 유지하려면 비워 두세요</translation>
    </message>
    <message>
        <source>Leave empty if the server needs no key</source>
        <translation>서버에 키가 필요 없으면 비워 두세요</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>문제</translation>
    </message>
</context>
</TS>
