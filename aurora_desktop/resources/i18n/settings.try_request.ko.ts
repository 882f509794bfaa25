<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>TryRequestBox</name>
    <message>
        <source>Deciding…</source>
        <translation>판단 중…</translation>
    </message>
    <message>
        <source>Could not decide: {error}</source>
        <translation>판단하지 못했습니다: {error}</translation>
    </message>
    <message>
        <source>Uses the saved policy; unsaved edits count after Save.</source>
        <translation>저장된 정책을 사용합니다. 저장하지 않은 변경 사항은 저장한 뒤에 반영됩니다.</translation>
    </message>
    <message>
        <source>No rule matched → {target} (defaults)</source>
        <translation>일치하는 규칙 없음 → {target} (기본값)</translation>
    </message>
    <message>
        <source>Rule {number} “{name}” → {target}</source>
        <translation>규칙 {number} “{name}” → {target}</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>설정 안 함</translation>
    </message>
    <message>
        <source>Model: {model} · fallback: {fallback}</source>
        <translation>모델: {model} · 대체 경로: {fallback}</translation>
    </message>
    <message>
        <source>default</source>
        <translation>기본값</translation>
    </message>
    <message>
        <source>Why: {why}</source>
        <translation>이유: {why}</translation>
    </message>
    <message>
        <source>{count} prompt tokens, counted by {method}</source>
        <translation>프롬프트 토큰 {count}개 ({method} 방식으로 계산)</translation>
    </message>
    <message>
        <source>Try a request</source>
        <translation>요청 시험</translation>
    </message>
    <message>
        <source>Tas&amp;k:</source>
        <translation>작업(&amp;K):</translation>
    </message>
    <message>
        <source>R&amp;isk:</source>
        <translation>위험도(&amp;I):</translation>
    </message>
    <message>
        <source>Late&amp;ncy target:</source>
        <translation>목표 지연 시간(&amp;N):</translation>
    </message>
    <message>
        <source>&amp;Prompt:</source>
        <translation>프롬프트(&amp;P):</translation>
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
        <source>Latency target in ms</source>
        <translation>목표 지연 시간(ms)</translation>
    </message>
    <message>
        <source>Sample prompt</source>
        <translation>예시 프롬프트</translation>
    </message>
    <message>
        <source>A sample prompt (its length counts as tokens_in)</source>
        <translation>예시 프롬프트(길이가 tokens_in으로 계산됩니다)</translation>
    </message>
    <message>
        <source>policy default</source>
        <translation>정책 기본값</translation>
    </message>
    <message>
        <source>&amp;Try</source>
        <translation>시험(&amp;T)</translation>
    </message>
    <message>
        <source>Try the request</source>
        <translation>요청 시험하기</translation>
    </message>
    <message>
        <source>Routing decision</source>
        <translation>라우팅 결정</translation>
    </message>
</context>
</TS>
