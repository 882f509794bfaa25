<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ProvidersPage</name>
    <message>
        <source>Providers</source>
        <translation>공급자</translation>
    </message>
    <message>
        <source>no key</source>
        <translation>키 없음</translation>
    </message>
    <message>
        <source>Saved {name}.</source>
        <translation>{name}을(를) 저장했습니다.</translation>
    </message>
    <message>
        <source>Remove provider</source>
        <translation>공급자 삭제</translation>
    </message>
    <message>
        <source>Remove {name} and delete its API key from the keyring?</source>
        <translation>{name}을(를) 삭제하고 키링에서 API 키도 지울까요?</translation>
    </message>
    <message>
        <source>Removed {name} and its API key.</source>
        <translation>{name}과(와) API 키를 삭제했습니다.</translation>
    </message>
    <message>
        <source>Testing {name}…</source>
        <translation>{name} 테스트 중…</translation>
    </message>
    <message>
        <source>{model} answered in {total} ms (first token {ttft} ms).</source>
        <translation>{model} 응답 {total} ms (첫 토큰 {ttft} ms).</translation>
    </message>
    <message>
        <source>The test of {name} failed ({error}); check its settings and retry.</source>
        <translation>{name} 테스트에 실패했습니다({error}). 설정을 확인하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>기본 URL</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 키</translation>
    </message>
    <message>
        <source>Cloud providers</source>
        <translation>클라우드 공급자</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>추가(&amp;A)…</translation>
    </message>
    <message>
        <source>Add a provider</source>
        <translation>공급자 추가</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>편집(&amp;E)…</translation>
    </message>
    <message>
        <source>Edit the selected provider</source>
        <translation>선택한 공급자 편집</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>삭제(&amp;R)</translation>
    </message>
    <message>
        <source>Remove the selected provider</source>
        <translation>선택한 공급자 삭제</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>연결 테스트(&amp;T)</translation>
    </message>
    <message>
        <source>Test the selected provider</source>
        <translation>선택한 공급자 테스트</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>결과</translation>
    </message>
</context>
</TS>
