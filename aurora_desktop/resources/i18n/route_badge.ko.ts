<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>RouteBadge</name>
    <message>
        <source>How this reply was made</source>
        <translation>이 답변이 만들어진 방식</translation>
    </message>
    <message>
        <source>Click or press Enter to show or hide the full decision.</source>
        <translation>클릭하거나 Enter를 누르면 전체 결정 내용을 보이거나 숨깁니다.</translation>
    </message>
    <message>
        <source>Route details</source>
        <translation>경로 세부 정보</translation>
    </message>
</context>
</TS>
