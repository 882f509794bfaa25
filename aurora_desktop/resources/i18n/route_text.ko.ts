<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>RouteText</name>
    <message>
        <source>Local</source>
        <translation>로컬</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>클라우드</translation>
    </message>
    <message>
        <source>rule {number} &quot;{name}&quot;</source>
        <translation>규칙 {number} &quot;{name}&quot;</translation>
    </message>
    <message>
        <source>rule {number}</source>
        <translation>규칙 {number}</translation>
    </message>
    <message>
        <source>default route</source>
        <translation>기본 경로</translation>
    </message>
    <message>
        <source>unverified (best effort)</source>
        <translation>검증 안 됨(최선의 답)</translation>
    </message>
    <message>
        <source>{count} sources</source>
        <translation>출처 {count}개</translation>
    </message>
    <message>
        <source>{count} tokens</source>
        <translation>토큰 {count}개</translation>
    </message>
    <message>
        <source>{speed} tok/s</source>
        <translation>{speed} tok/s</translation>
    </message>
    <message>
        <source>first token {ms} ms</source>
        <translation>첫 토큰 {ms} ms</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>중지됨</translation>
    </message>
    <message>
        <source>cut at the token limit</source>
        <translation>토큰 한도에서 잘림</translation>
    </message>
    <message>
        <source>email address</source>
        <translation>이메일 주소</translation>
    </message>
    <message>
        <source>phone number</source>
        <translation>전화번호</translation>
    </message>
    <message>
        <source>card number</source>
        <translation>카드 번호</translation>
    </message>
    <message>
        <source>resident registration number</source>
        <translation>주민등록번호</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP 주소</translation>
    </message>
    <message>
        <source>secret (key or password)</source>
        <translation>비밀 정보(키 또는 비밀번호)</translation>
    </message>
    <message>
        <source>nothing was masked</source>
        <translation>가린 항목 없음</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>검사 안 함</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>통과</translation>
    </message>
    <message>
        <source>failed; this is the best effort</source>
        <translation>실패, 최선의 답입니다</translation>
    </message>
    <message>
        <source>{number}. {step} ({target} · {model} · {tokens} tokens · {ms} ms)</source>
        <translation>{number}. {step} ({target} · {model} · 토큰 {tokens}개 · {ms} ms)</translation>
    </message>
    <message>
        <source>[{n}] {path}, characters {start}-{end} (score {score})</source>
        <translation>[{n}] {path}, {start}-{end}번째 문자 (점수 {score})</translation>
    </message>
    <message>
        <source>Rule {number}: &quot;{name}&quot;</source>
        <translation>규칙 {number}: &quot;{name}&quot;</translation>
    </message>
    <message>
        <source>Rule: {rule}</source>
        <translation>규칙: {rule}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Route: {where} · {engine} · {model}</source>
        <translation>경로: {where} · {engine} · {model}</translation>
    </message>
    <message>
        <source>Why: {why}</source>
        <translation>이유: {why}</translation>
    </message>
    <message>
        <source>Task: {task} · label: {label}</source>
        <translation>작업: {task} · 레이블: {label}</translation>
    </message>
    <message>
        <source>Decided by: {how}</source>
        <translation>판단 방식: {how}</translation>
    </message>
    <message>
        <source>Masked before sending: {masked}</source>
        <translation>보내기 전에 가린 항목: {masked}</translation>
    </message>
    <message>
        <source>Verifier: {result}</source>
        <translation>검증: {result}</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>검사 결과</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>시도</translation>
    </message>
    <message>
        <source>Fallbacks</source>
        <translation>대체 경로</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>계획</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>출처</translation>
    </message>
    <message>
        <source>Tokens: {tokens_in} in, {tokens_out} out</source>
        <translation>토큰: 입력 {tokens_in}, 출력 {tokens_out}</translation>
    </message>
    <message>
        <source>Speed: first token {ttft} ms · total {latency} ms · {speed} tok/s</source>
        <translation>속도: 첫 토큰 {ttft} ms · 전체 {latency} ms · {speed} tok/s</translation>
    </message>
    <message>
        <source>Sent off this device: {bytes} bytes · consent: {consent}</source>
        <translation>이 기기 밖으로 보낸 양: {bytes}바이트 · 동의: {consent}</translation>
    </message>
</context>
</TS>
