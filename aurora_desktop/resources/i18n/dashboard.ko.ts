<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>Dashboard</name>
    <message>
        <source>Aurora — dashboard</source>
        <translation>Aurora — 대시보드</translation>
    </message>
    <message>
        <source>Performance dashboard</source>
        <translation>성능 대시보드</translation>
    </message>
    <message>
        <source>&amp;Live</source>
        <translation>실시간(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>기록(&amp;H)</translation>
    </message>
    <message>
        <source>Dashboard views</source>
        <translation>대시보드 보기</translation>
    </message>
    <message>
        <source>Export &amp;PNG…</source>
        <translation>PNG 내보내기(&amp;P)…</translation>
    </message>
    <message>
        <source>Export the charts as a picture</source>
        <translation>차트를 그림으로 내보내기</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>CSV 내보내기(&amp;C)…</translation>
    </message>
    <message>
        <source>Export the figures shown as CSV</source>
        <translation>표시된 수치를 CSV로 내보내기</translation>
    </message>
    <message>
        <source>Export charts</source>
        <translation>차트 내보내기</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
        <source>Export figures</source>
        <translation>수치 내보내기</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 파일 (*.csv)</translation>
    </message>
    <message>
        <source>Could not save {path} ({error}); choose another folder.</source>
        <translation>{path}을(를) 저장하지 못했습니다({error}). 다른 폴더를 선택하세요.</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>{path}에 저장했습니다.</translation>
    </message>
</context>
</TS>
