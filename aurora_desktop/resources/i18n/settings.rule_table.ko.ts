<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>RuleTable</name>
    <message>
        <source>New rule</source>
        <translation>새 규칙</translation>
    </message>
    <message>
        <source>Rule {number}: name</source>
        <translation>규칙 {number}: 이름</translation>
    </message>
    <message>
        <source>Rule {number}: task condition</source>
        <translation>규칙 {number}: 작업 조건</translation>
    </message>
    <message>
        <source>Rule {number}: risk condition</source>
        <translation>규칙 {number}: 위험도 조건</translation>
    </message>
    <message>
        <source>Rule {number}: prompt tokens</source>
        <translation>규칙 {number}: 프롬프트 토큰 수</translation>
    </message>
    <message>
        <source>Rule {number}: latency target in ms</source>
        <translation>규칙 {number}: 목표 지연 시간(ms)</translation>
    </message>
    <message>
        <source>Rule {number}: target</source>
        <translation>규칙 {number}: 실행 위치</translation>
    </message>
    <message>
        <source>Rule {number}: model</source>
        <translation>규칙 {number}: 모델</translation>
    </message>
    <message>
        <source>Rule {number}: fallback</source>
        <translation>규칙 {number}: 대체 경로</translation>
    </message>
    <message>
        <source>default model</source>
        <translation>기본 모델</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>설정 안 함</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>위험도</translation>
    </message>
    <message>
        <source>Prompt tokens</source>
        <translation>프롬프트 토큰 수</translation>
    </message>
    <message>
        <source>Latency target (ms)</source>
        <translation>목표 지연 시간(ms)</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>실행 위치</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Fallback</source>
        <translation>대체 경로</translation>
    </message>
    <message>
        <source>Routing rules, first match wins</source>
        <translation>라우팅 규칙(처음 일치하는 규칙 적용)</translation>
    </message>
    <message>
        <source>&amp;Add rule</source>
        <translation>규칙 추가(&amp;A)</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>삭제(&amp;M)</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>위로(&amp;U)</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>아래로(&amp;D)</translation>
    </message>
    <message>
        <source>Defaults (when no rule matches)</source>
        <translation>기본값(일치하는 규칙이 없을 때)</translation>
    </message>
    <message>
        <source>Ta&amp;rget:</source>
        <translation>실행 위치(&amp;R):</translation>
    </message>
    <message>
        <source>M&amp;odel:</source>
        <translation>모델(&amp;O):</translation>
    </message>
    <message>
        <source>&amp;Fallback:</source>
        <translation>대체 경로(&amp;F):</translation>
    </message>
    <message>
        <source>&amp;Latency target:</source>
        <translation>목표 지연 시간(&amp;L):</translation>
    </message>
</context>
</TS>
