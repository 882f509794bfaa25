<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>PrivacyPage</name>
    <message>
        <source>&amp;Email addresses</source>
        <translation>이메일 주소(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Phone numbers</source>
        <translation>전화번호(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Card numbers</source>
        <translation>카드 번호(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Resident registration numbers</source>
        <translation>주민등록번호(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;IP addresses</source>
        <translation>IP 주소(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Secrets (API keys, passwords)</source>
        <translation>비밀 정보(API 키, 비밀번호)(&amp;S)</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>개인정보</translation>
    </message>
    <message>
        <source>The choice is in use but could not be saved ({error}); try again.</source>
        <translation>선택은 적용되었지만 저장하지 못했습니다({error}). 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The checked kinds are replaced by placeholders before text leaves this computer and put back in the answer you see.</source>
        <translation>선택한 항목은 텍스트가 이 컴퓨터를 떠나기 전에 자리 표시자로 바뀌고, 보이는 답변에서는 원래대로 돌아옵니다.</translation>
    </message>
    <message>
        <source>Nothing is masked: personal data goes to cloud models as you typed it.</source>
        <translation>아무것도 가리지 않습니다. 개인정보가 입력한 그대로 클라우드 모델에 전송됩니다.</translation>
    </message>
    <message>
        <source>Personal data</source>
        <translation>개인 데이터</translation>
    </message>
    <message>
        <source>Banned words</source>
        <translation>금지어</translation>
    </message>
    <message>
        <source>Consents</source>
        <translation>동의</translation>
    </message>
    <message>
        <source>Sent data</source>
        <translation>전송 기록</translation>
    </message>
    <message>
        <source>Privacy sections</source>
        <translation>개인정보 항목</translation>
    </message>
    <message>
        <source>Mask before sending to a cloud model</source>
        <translation>클라우드 모델로 보내기 전에 가리기</translation>
    </message>
</context>
</TS>
