<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ChatChoices</name>
    <message>
        <source>Auto</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>대화</translation>
    </message>
    <message>
        <source>Intent</source>
        <translation>의도 파악</translation>
    </message>
    <message>
        <source>Classify</source>
        <translation>분류</translation>
    </message>
    <message>
        <source>Extract</source>
        <translation>정보 추출</translation>
    </message>
    <message>
        <source>Summarize</source>
        <translation>요약</translation>
    </message>
    <message>
        <source>Short summary</source>
        <translation>짧은 요약</translation>
    </message>
    <message>
        <source>Short text</source>
        <translation>짧은 글</translation>
    </message>
    <message>
        <source>Long text</source>
        <translation>긴 글</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>계획</translation>
    </message>
    <message>
        <source>Answer from documents</source>
        <translation>문서 기반 답변</translation>
    </message>
    <message>
        <source>Aurora decides what kind of work it is.</source>
        <translation>Aurora가 어떤 작업인지 판단합니다.</translation>
    </message>
    <message>
        <source>Needs labels to choose from; use the command line for it.</source>
        <translation>고를 레이블이 필요합니다. 명령줄에서 사용하세요.</translation>
    </message>
    <message>
        <source>Needs a JSON Schema for the answer; use the command line for it.</source>
        <translation>답변용 JSON 스키마가 필요합니다. 명령줄에서 사용하세요.</translation>
    </message>
    <message>
        <source>Low risk</source>
        <translation>낮은 위험</translation>
    </message>
    <message>
        <source>Medium risk</source>
        <translation>보통 위험</translation>
    </message>
    <message>
        <source>High risk</source>
        <translation>높은 위험</translation>
    </message>
    <message>
        <source>Never leaves this device, even when the local model fails.</source>
        <translation>로컬 모델이 실패해도 이 기기 밖으로 나가지 않습니다.</translation>
    </message>
    <message>
        <source>The routing rules may send it to a cloud model, with your consent.</source>
        <translation>라우팅 규칙에 따라 동의를 받은 뒤 클라우드 모델로 보낼 수 있습니다.</translation>
    </message>
</context>
</TS>
