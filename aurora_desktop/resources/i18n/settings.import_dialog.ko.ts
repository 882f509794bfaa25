<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import a model file</source>
        <translation>모델 파일 가져오기</translation>
    </message>
    <message>
        <source>{file} is not signed by a publisher Aurora knows. Importing it means you vouch for it: Aurora will sign it with this computer&apos;s local key (kept in the system keyring) and run it. Import only files from a source you trust.</source>
        <translation>{file}은(는) Aurora가 아는 게시자의 서명이 없습니다. 가져오면 이 파일을 사용자가 보증하는 것입니다. Aurora는 이 컴퓨터의 로컬 키(시스템 키링에 보관)로 파일에 서명하고 실행합니다. 신뢰하는 출처의 파일만 가져오세요.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>이름(&amp;N):</translation>
    </message>
    <message>
        <source>&amp;Version:</source>
        <translation>버전(&amp;V):</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>종류(&amp;K):</translation>
    </message>
    <message>
        <source>Model name</source>
        <translation>모델 이름</translation>
    </message>
    <message>
        <source>Model version</source>
        <translation>모델 버전</translation>
    </message>
    <message>
        <source>Model kind</source>
        <translation>모델 종류</translation>
    </message>
    <message>
        <source>Sign and &amp;import</source>
        <translation>서명 후 가져오기(&amp;I)</translation>
    </message>
    <message>
        <source>Sign and import</source>
        <translation>서명 후 가져오기</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Use lowercase letters, digits, &apos;.&apos;, &apos;-&apos; or &apos;_&apos; for the name.</source>
        <translation>이름에는 영문 소문자, 숫자, &apos;.&apos;, &apos;-&apos;, &apos;_&apos;만 사용하세요.</translation>
    </message>
    <message>
        <source>Use a version number like 1.0.0.</source>
        <translation>1.0.0 같은 버전 번호를 사용하세요.</translation>
    </message>
</context>
</TS>
