<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>RoutingPage</name>
    <message>
        <source>Routing</source>
        <translation>라우팅</translation>
    </message>
    <message>
        <source>Saved; the new rules are in force now.</source>
        <translation>저장했습니다. 새 규칙이 지금부터 적용됩니다.</translation>
    </message>
    <message>
        <source>Loaded the changes made to the file outside Aurora.</source>
        <translation>Aurora 밖에서 파일에 적용된 변경 사항을 불러왔습니다.</translation>
    </message>
    <message>
        <source>Could not save: {error}</source>
        <translation>저장하지 못했습니다: {error}</translation>
    </message>
    <message>
        <source>Saving is off until this is fixed; the saved policy stays in force.</source>
        <translation>이 문제를 고칠 때까지 저장할 수 없으며, 저장된 정책이 계속 적용됩니다.</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>규칙</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Routing policy editor</source>
        <translation>라우팅 정책 편집기</translation>
    </message>
    <message>
        <source>model_router.json text</source>
        <translation>model_router.json 내용</translation>
    </message>
    <message>
        <source>JSON error</source>
        <translation>JSON 오류</translation>
    </message>
    <message>
        <source>The JSON has an error; fix it on the JSON tab to edit the rules here.</source>
        <translation>JSON에 오류가 있습니다. JSON 탭에서 고치면 여기서 규칙을 편집할 수 있습니다.</translation>
    </message>
    <message>
        <source>The file changed on disk.</source>
        <translation>디스크의 파일이 변경되었습니다.</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>다시 불러오기(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Keep mine</source>
        <translation>내 변경 유지(&amp;K)</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>되돌리기(&amp;V)</translation>
    </message>
    <message>
        <source>Discard the unsaved edits</source>
        <translation>저장하지 않은 변경 사항을 버립니다</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <source>Save and apply now (Ctrl+S)</source>
        <translation>저장하고 바로 적용 (Ctrl+S)</translation>
    </message>
</context>
</TS>
