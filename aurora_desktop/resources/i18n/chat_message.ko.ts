<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>MessageView</name>
    <message>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <source>Copy this reply to the clipboard</source>
        <translation>이 답변을 클립보드에 복사</translation>
    </message>
    <message>
        <source>Copy reply</source>
        <translation>답변 복사</translation>
    </message>
    <message>
        <source>Your message</source>
        <translation>내 메시지</translation>
    </message>
    <message>
        <source>Aurora&apos;s reply</source>
        <translation>Aurora의 답변</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>생각하는 중…</translation>
    </message>
    <message>
        <source>Stopped before an answer was written.</source>
        <translation>답변이 작성되기 전에 중지했습니다.</translation>
    </message>
    <message>
        <source>Failed: {message}</source>
        <translation>실패: {message}</translation>
    </message>
</context>
</TS>
