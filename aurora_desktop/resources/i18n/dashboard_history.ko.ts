<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>HistoryView</name>
    <message>
        <source>&amp;Range:</source>
        <translation>기간(&amp;R):</translation>
    </message>
    <message>
        <source>History range</source>
        <translation>기록 기간</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>최근 1시간</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>최근 24시간</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>최근 7일</translation>
    </message>
    <message>
        <source>R&amp;eload</source>
        <translation>다시 불러오기(&amp;E)</translation>
    </message>
    <message>
        <source>Reload the history</source>
        <translation>기록 다시 불러오기</translation>
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
        <source>Time</source>
        <translation>시간</translation>
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
        <source>Decode speed history chart</source>
        <translation>디코딩 속도 기록 차트</translation>
    </message>
    <message>
        <source>Latency history chart</source>
        <translation>지연 시간 기록 차트</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <source>{requests} requests, {calls} model calls ({internal} internal)</source>
        <translation>요청 {requests}건, 모델 호출 {calls}회 (내부 호출 {internal}회)</translation>
    </message>
    <message>
        <source>first token · {series}</source>
        <translation>첫 토큰 · {series}</translation>
    </message>
    <message>
        <source>end to end · {series}</source>
        <translation>전체 · {series}</translation>
    </message>
</context>
</TS>
