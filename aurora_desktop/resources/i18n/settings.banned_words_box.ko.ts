<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>BannedWordsBox</name>
    <message>
        <source>The banned-word list could not be saved ({error}); try again.</source>
        <translation>금지어 목록을 저장하지 못했습니다({error}). 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Mask the word</source>
        <translation>단어 가리기</translation>
    </message>
    <message>
        <source>Block the text</source>
        <translation>텍스트 차단</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>단어</translation>
    </message>
    <message>
        <source>When found</source>
        <translation>발견 시</translation>
    </message>
    <message>
        <source>Banned words</source>
        <translation>금지어</translation>
    </message>
    <message>
        <source>A word or phrase</source>
        <translation>단어 또는 구절</translation>
    </message>
    <message>
        <source>New word</source>
        <translation>새 단어</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>동작</translation>
    </message>
    <message>
        <source>A&amp;dd word</source>
        <translation>단어 추가(&amp;D)</translation>
    </message>
    <message>
        <source>Re&amp;move word</source>
        <translation>단어 삭제(&amp;M)</translation>
    </message>
</context>
</TS>
