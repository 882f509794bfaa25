<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ChatSession</name>
    <message>
        <source>Aurora is still answering; press Stop first.</source>
        <translation>Aurora가 아직 답변 중입니다. 먼저 중지를 누르세요.</translation>
    </message>
    <message>
        <source>Aurora is paused; resume it from the tray menu to ask.</source>
        <translation>Aurora가 일시 중지되어 있습니다. 물으려면 트레이 메뉴에서 다시 시작하세요.</translation>
    </message>
    <message>
        <source>Preparing the model failed unexpectedly ({error}).</source>
        <translation>모델을 준비하다 예기치 않게 실패했습니다({error}). 앱을 다시 시작해 보세요.</translation>
    </message>
    <message>
        <source>The request failed unexpectedly ({error}); try again.</source>
        <translation>요청이 예기치 않게 실패했습니다({error}). 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Downloading {label}…</source>
        <translation>{label} 내려받는 중…</translation>
    </message>
    <message>
        <source>Installing {label}…</source>
        <translation>{label} 설치하는 중…</translation>
    </message>
    <message>
        <source>Verifying {label}…</source>
        <translation>{label} 검증하는 중…</translation>
    </message>
    <message>
        <source>Loading {label}…</source>
        <translation>{label} 불러오는 중…</translation>
    </message>
    <message>
        <source>Ready · {model} on this device</source>
        <translation>준비됨 · 이 기기의 {model}</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>중지했습니다.</translation>
    </message>
</context>
</TS>
