<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ChatPopup</name>
    <message>
        <source>Aurora chat</source>
        <translation>Aurora 채팅</translation>
    </message>
    <message>
        <source>Ask Aurora… (Enter to send, Shift+Enter for a new line)</source>
        <translation>Aurora에게 물어보세요… (Enter: 보내기, Shift+Enter: 줄바꿈)</translation>
    </message>
    <message>
        <source>Your question</source>
        <translation>질문</translation>
    </message>
    <message>
        <source>Ctrl+L puts the cursor here.</source>
        <translation>Ctrl+L을 누르면 커서가 여기로 옵니다.</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>보내기(&amp;S)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>보내기</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>중지(&amp;T)</translation>
    </message>
    <message>
        <source>Stop answering</source>
        <translation>답변 중지</translation>
    </message>
    <message>
        <source>&amp;New chat</source>
        <translation>새 대화(&amp;N)</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>새 대화</translation>
    </message>
    <message>
        <source>Forget this conversation and start again.</source>
        <translation>이 대화를 지우고 새로 시작합니다.</translation>
    </message>
    <message>
        <source>T&amp;ask:</source>
        <translation>작업(&amp;A):</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>&amp;Risk:</source>
        <translation>위험도(&amp;R):</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>위험도</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>대화 내용</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>준비됨</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>중지했습니다.</translation>
    </message>
    <message>
        <source>Answering…</source>
        <translation>답변하는 중…</translation>
    </message>
    <message>
        <source>Type a question first.</source>
        <translation>먼저 질문을 입력하세요.</translation>
    </message>
    <message>
        <source>Aurora is still answering; press Stop first.</source>
        <translation>Aurora가 아직 답변 중입니다. 먼저 중지를 누르세요.</translation>
    </message>
    <message>
        <source>The reply is on the clipboard.</source>
        <translation>답변을 클립보드에 복사했습니다.</translation>
    </message>
    <message>
        <source>Paused: resume Aurora from the tray menu to ask again.</source>
        <translation>일시 중지됨: 다시 물으려면 트레이 메뉴에서 Aurora를 다시 시작하세요.</translation>
    </message>
    <message>
        <source>New chat: Aurora has forgotten the earlier messages.</source>
        <translation>새 대화: 이전 메시지는 모두 잊었습니다.</translation>
    </message>
</context>
</TS>
