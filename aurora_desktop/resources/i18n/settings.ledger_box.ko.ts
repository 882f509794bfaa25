<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>LedgerBox</name>
    <message>
        <source>The ledger could not be read ({error}); try Refresh again.</source>
        <translation>기록을 읽지 못했습니다({error}). 새로 고침을 다시 눌러 보세요.</translation>
    </message>
    <message>
        <source>Aurora</source>
        <translation>Aurora</translation>
    </message>
    <message>
        <source>{shown} of {total} entries shown.</source>
        <translation>전체 {total}개 중 {shown}개 표시.</translation>
    </message>
    <message>
        <source>Export the ledger</source>
        <translation>기록 내보내기</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 파일 (*.csv)</translation>
    </message>
    <message>
        <source>The ledger could not be saved to {path} ({error}); choose another place.</source>
        <translation>기록을 {path}에 저장하지 못했습니다({error}). 다른 위치를 고르세요.</translation>
    </message>
    <message>
        <source>Exported {count} entries to {path}.</source>
        <translation>{count}개 항목을 {path}(으)로 내보냈습니다.</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>필터…</translation>
    </message>
    <message>
        <source>Text filter</source>
        <translation>텍스트 필터</translation>
    </message>
    <message>
        <source>Any target</source>
        <translation>모든 대상</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>클라우드</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>로컬</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>대상</translation>
    </message>
    <message>
        <source>Any outcome</source>
        <translation>모든 결과</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>응답함</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>거부됨</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>중지됨</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>Any app</source>
        <translation>모든 앱</translation>
    </message>
    <message>
        <source>Aurora&apos;s own windows</source>
        <translation>Aurora 자체 창</translation>
    </message>
    <message>
        <source>App</source>
        <translation>앱</translation>
    </message>
    <message>
        <source>&amp;Since</source>
        <translation>시작 날짜(&amp;S)</translation>
    </message>
    <message>
        <source>Since date</source>
        <translation>시작 날짜</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>새로 고침(&amp;F)</translation>
    </message>
    <message>
        <source>E&amp;xport CSV…</source>
        <translation>CSV 내보내기(&amp;X)…</translation>
    </message>
    <message>
        <source>What left this computer</source>
        <translation>이 컴퓨터를 떠난 데이터</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Bytes sent</source>
        <translation>보낸 바이트</translation>
    </message>
    <message>
        <source>Masked</source>
        <translation>가린 항목</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>동의</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>작업</translation>
    </message>
</context>
</TS>
