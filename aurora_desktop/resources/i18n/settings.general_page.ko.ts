<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>GeneralPage</name>
    <message>
        <source>General</source>
        <translation>일반</translation>
    </message>
    <message>
        <source>The settings could not be saved ({error}); check the data folder.</source>
        <translation>설정을 저장하지 못했습니다({error}). 데이터 폴더를 확인하세요.</translation>
    </message>
    <message>
        <source>Fixed at {n} for answers and prompts.</source>
        <translation>{n}개로 고정: 답변과 프롬프트 모두에 사용합니다.</translation>
    </message>
    <message>
        <source>Automatic, now {n}: one per core until the load is measured.</source>
        <translation>자동, 지금 {n}개: 부하를 측정하기 전까지 코어마다 하나씩 사용합니다.</translation>
    </message>
    <message>
        <source>Automatic, now {n}: the machine is quiet.</source>
        <translation>자동, 지금 {n}개: 컴퓨터가 한가합니다.</translation>
    </message>
    <message>
        <source>Automatic, now {n}: other programs keep about {busy} cores busy.</source>
        <translation>자동, 지금 {n}개: 다른 프로그램이 코어 약 {busy}개를 사용 중입니다.</translation>
    </message>
    <message>
        <source>&amp;Unload idle models after:</source>
        <translation>유휴 모델 해제 시간(&amp;U):</translation>
    </message>
    <message>
        <source>&amp;Keep warm:</source>
        <translation>미리 로드(&amp;K):</translation>
    </message>
    <message>
        <source>CPU &amp;threads:</source>
        <translation>CPU 스레드(&amp;T):</translation>
    </message>
    <message>
        <source>Start at lo&amp;gin:</source>
        <translation>로그인 시 시작(&amp;G):</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>언어(&amp;L):</translation>
    </message>
    <message>
        <source> min</source>
        <translation>분</translation>
    </message>
    <message>
        <source>Minutes before an idle model is unloaded</source>
        <translation>유휴 모델을 해제하기까지의 분</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>CPU threads for local models; Automatic follows the load</source>
        <translation>로컬 모델의 CPU 스레드 수. 자동은 부하에 따라 정합니다</translation>
    </message>
    <message>
        <source>Models loaded at start and kept loaded</source>
        <translation>시작할 때 로드하고 유지할 모델</translation>
    </message>
    <message>
        <source>Start Aurora when I log in</source>
        <translation>로그인할 때 Aurora 시작</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>로그인 시 시작</translation>
    </message>
    <message>
        <source>System</source>
        <translation>시스템 설정</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Changes apply at once: models added to Keep warm are loaded now, and a model taken out of it is unloaded once it has been idle for the time above.</source>
        <translation>변경 사항은 바로 적용됩니다. 미리 로드에 추가한 모델은 지금 로드되고, 목록에서 뺀 모델은 위의 시간 동안 쓰이지 않으면 해제됩니다.</translation>
    </message>
</context>
</TS>
