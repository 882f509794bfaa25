<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>CatalogTable</name>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>버전</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Catalog models</source>
        <translation>카탈로그 모델</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>설치 가능</translation>
    </message>
    <message>
        <source>Installed, active</source>
        <translation>설치됨, 활성</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>설치됨</translation>
    </message>
</context>
<context>
    <name>InstalledTable</name>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>버전</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>활성</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>검증됨</translation>
    </message>
    <message>
        <source>Loaded</source>
        <translation>로드됨</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>메모리</translation>
    </message>
    <message>
        <source>Installed models</source>
        <translation>설치된 모델</translation>
    </message>
    <message>
        <source>Failed: {reason}</source>
        <translation>실패: {reason}</translation>
    </message>
    <message>
        <source>Last verified {when}</source>
        <translation>마지막 검증 {when}</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>아직 검사 안 함</translation>
    </message>
    <message>
        <source>Active version</source>
        <translation>활성 버전</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>로드 중…</translation>
    </message>
    <message>
        <source>Unloading…</source>
        <translation>언로드 중…</translation>
    </message>
    <message>
        <source>Not loaded</source>
        <translation>로드 안 됨</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>{state}, pinned</source>
        <translation>{state}, 고정됨</translation>
    </message>
</context>
</TS>
