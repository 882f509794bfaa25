<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ApiPage</name>
    <message>
        <source>Chat and completions</source>
        <translation>채팅과 완성</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>임베딩</translation>
    </message>
    <message>
        <source>List models</source>
        <translation>모델 목록</translation>
    </message>
    <message>
        <source>Load and unload models</source>
        <translation>모델 불러오기와 내리기</translation>
    </message>
    <message>
        <source>Low risk</source>
        <translation>낮은 위험</translation>
    </message>
    <message>
        <source>Medium risk</source>
        <translation>중간 위험</translation>
    </message>
    <message>
        <source>High risk (stays here)</source>
        <translation>높은 위험 (이 기기에 머무름)</translation>
    </message>
    <message>
        <source>The local API is off.</source>
        <translation>로컬 API가 꺼져 있습니다.</translation>
    </message>
    <message>
        <source>The local API is not running: {reason}</source>
        <translation>로컬 API가 실행되고 있지 않습니다: {reason}</translation>
    </message>
    <message>
        <source>Apps on this computer can use {url}</source>
        <translation>이 컴퓨터의 앱이 {url}을(를) 쓸 수 있습니다</translation>
    </message>
    <message>
        <source>The local API is starting…</source>
        <translation>로컬 API를 시작하는 중…</translation>
    </message>
    <message>
        <source>Local API</source>
        <translation>로컬 API</translation>
    </message>
    <message>
        <source>The settings could not be saved ({error}); check the data folder.</source>
        <translation>설정을 저장하지 못했습니다({error}). 데이터 폴더를 확인하세요.</translation>
    </message>
    <message>
        <source>Without keys, any program on this computer can use the API and what it sends is recorded as from &quot;local app&quot;.</source>
        <translation>키 없이 두면 이 컴퓨터의 모든 프로그램이 API를 쓸 수 있고, 보낸 내용은 &quot;local app&quot;에서 온 것으로 기록됩니다.</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>폐기됨</translation>
    </message>
    <message>
        <source>active</source>
        <translation>활성</translation>
    </message>
    <message>
        <source>The key for {name} is shown only now: copy it into the app. Aurora keeps only a fingerprint of it.</source>
        <translation>{name}의 키는 지금 한 번만 보입니다. 앱에 복사해 넣으세요. Aurora는 키의 지문만 보관합니다.</translation>
    </message>
    <message>
        <source>Choose a key to revoke.</source>
        <translation>폐기할 키를 고르세요.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>서버</translation>
    </message>
    <message>
        <source>&amp;Serve Aurora to other apps (OpenAI- and Ollama-compatible API)</source>
        <translation>다른 앱에 Aurora 제공(&amp;S) (OpenAI·Ollama 호환 API)</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>포트(&amp;P):</translation>
    </message>
    <message>
        <source>&amp;Keys:</source>
        <translation>키(&amp;K):</translation>
    </message>
    <message>
        <source>Browser &amp;origins:</source>
        <translation>브라우저 출처(&amp;O):</translation>
    </message>
    <message>
        <source>Every request must carry an app&apos;s key</source>
        <translation>모든 요청에 앱 키가 있어야 함</translation>
    </message>
    <message>
        <source>none (e.g. http://localhost:3000)</source>
        <translation>없음 (예: http://localhost:3000)</translation>
    </message>
    <message>
        <source>App keys</source>
        <translation>앱 키</translation>
    </message>
    <message>
        <source>App</source>
        <translation>앱</translation>
    </message>
    <message>
        <source>Can use</source>
        <translation>권한</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>위험도</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>만든 때</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>&amp;New key for:</source>
        <translation>새 키 대상(&amp;N):</translation>
    </message>
    <message>
        <source>the app&apos;s name, e.g. Obsidian</source>
        <translation>앱 이름, 예: Obsidian</translation>
    </message>
    <message>
        <source>Risk of the app&apos;s requests that name none</source>
        <translation>위험도를 지정하지 않은 앱 요청의 위험도</translation>
    </message>
    <message>
        <source>&amp;Create key</source>
        <translation>키 만들기(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation>폐기(&amp;R)</translation>
    </message>
    <message>
        <source>Co&amp;py</source>
        <translation>복사(&amp;P)</translation>
    </message>
    <message>
        <source>The new key</source>
        <translation>새 키</translation>
    </message>
</context>
</TS>
