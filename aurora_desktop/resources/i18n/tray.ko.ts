<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>TrayController</name>
    <message>
        <source>Local API (off)</source>
        <translation>로컬 API (꺼짐)</translation>
    </message>
    <message>
        <source>Local API (not running)</source>
        <translation>로컬 API (실행 안 됨)</translation>
    </message>
    <message>
        <source>Local API on {address}</source>
        <translation>로컬 API 켜짐: {address}</translation>
    </message>
    <message>
        <source>Local API (starting…)</source>
        <translation>로컬 API (시작하는 중…)</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>준비됨</translation>
    </message>
    <message>
        <source>Loading a model…</source>
        <translation>모델 불러오는 중…</translation>
    </message>
    <message>
        <source>Answering…</source>
        <translation>답변하는 중…</translation>
    </message>
    <message>
        <source>Local only: nothing leaves this device</source>
        <translation>로컬 전용: 어떤 데이터도 이 기기를 벗어나지 않습니다</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>일시 중지됨</translation>
    </message>
    <message>
        <source>Something needs a look</source>
        <translation>확인이 필요한 항목이 있습니다</translation>
    </message>
    <message>
        <source>Open chat</source>
        <translation>채팅 열기</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>대시보드</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Messages…</source>
        <translation>메시지…</translation>
    </message>
    <message>
        <source>Pin models for this session</source>
        <translation>이번 세션 동안 모델 고정</translation>
    </message>
    <message>
        <source>Local only (no cloud)</source>
        <translation>로컬 전용 (클라우드 사용 안 함)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 중지</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <source>Loaded: {models}</source>
        <translation>불러온 모델: {models}</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>불러온 모델 없음</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>다시 시작</translation>
    </message>
    <message>
        <source>No models installed</source>
        <translation>설치된 모델이 없습니다</translation>
    </message>
</context>
</TS>
