<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>StatsTable</name>
    <message>
        <source>Percentiles per engine</source>
        <translation>엔진별 백분위수</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>호출</translation>
    </message>
    <message>
        <source>tok/s p50</source>
        <translation>토큰/초 p50</translation>
    </message>
    <message>
        <source>tok/s p95</source>
        <translation>토큰/초 p95</translation>
    </message>
    <message>
        <source>First token p50 (ms)</source>
        <translation>첫 토큰 p50 (ms)</translation>
    </message>
    <message>
        <source>First token p95 (ms)</source>
        <translation>첫 토큰 p95 (ms)</translation>
    </message>
    <message>
        <source>Latency p50 (ms)</source>
        <translation>지연 시간 p50 (ms)</translation>
    </message>
    <message>
        <source>Latency p95 (ms)</source>
        <translation>지연 시간 p95 (ms)</translation>
    </message>
</context>
</TS>
