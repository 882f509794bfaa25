<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>LiveView</name>
    <message>
        <source>&amp;Window:</source>
        <translation>구간(&amp;W):</translation>
    </message>
    <message>
        <source>Time window</source>
        <translation>시간 구간</translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation>최근 5분</translation>
    </message>
    <message>
        <source>Last 15 minutes</source>
        <translation>최근 15분</translation>
    </message>
    <message>
        <source>Last 60 minutes</source>
        <translation>최근 60분</translation>
    </message>
    <message>
        <source>Seconds (0 = now)</source>
        <translation>초 (0 = 지금)</translation>
    </message>
    <message>
        <source>Decode speed</source>
        <translation>디코딩 속도</translation>
    </message>
    <message>
        <source>tok/s</source>
        <translation>토큰/초</translation>
    </message>
    <message>
        <source>First token (dashed) and end-to-end latency</source>
        <translation>첫 토큰(점선) 및 전체 지연 시간</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Memory per loaded model</source>
        <translation>로드된 모델별 메모리</translation>
    </message>
    <message>
        <source>MB</source>
        <translation>MB</translation>
    </message>
    <message>
        <source>Decode speed chart</source>
        <translation>디코딩 속도 차트</translation>
    </message>
    <message>
        <source>Latency chart</source>
        <translation>지연 시간 차트</translation>
    </message>
    <message>
        <source>Memory chart</source>
        <translation>메모리 차트</translation>
    </message>
    <message>
        <source>Share of requests answered on this device</source>
        <translation>이 기기에서 처리한 요청 비율</translation>
    </message>
    <message>
        <source>in flight</source>
        <translation>생성 중</translation>
    </message>
    <message>
        <source>first token · {series}</source>
        <translation>첫 토큰 · {series}</translation>
    </message>
    <message>
        <source>end to end · {series}</source>
        <translation>전체 · {series}</translation>
    </message>
    <message>
        <source>On this device {percent}%</source>
        <translation>이 기기 {percent}%</translation>
    </message>
    <message>
        <source>Requests: {local} local ({lp}%) · {cloud} cloud ({cp}%)</source>
        <translation>요청: 로컬 {local}건 ({lp}%) · 클라우드 {cloud}건 ({cp}%)</translation>
    </message>
    <message>
        <source>Nothing is generating now.</source>
        <translation>지금 생성 중인 응답이 없습니다.</translation>
    </message>
    <message>
        <source>Generating on {model} ({target}): waiting for the first token…</source>
        <translation>{model}({target})에서 생성 중: 첫 토큰을 기다리는 중…</translation>
    </message>
    <message>
        <source>Generating on {model} ({target}): {tokens} tokens · {rate} tok/s · first token {ttft} ms</source>
        <translation>{model}({target})에서 생성 중: {tokens}토큰 · {rate} 토큰/초 · 첫 토큰 {ttft} ms</translation>
    </message>
</context>
</TS>
