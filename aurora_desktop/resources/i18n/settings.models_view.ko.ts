<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>JobPanel</name>
    <message>
        <source>&amp;Cancel</source>
        <translation>취소(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>진행률</translation>
    </message>
    <message>
        <source>{done} of {total} · {rate}/s</source>
        <translation>{done} / {total} · {rate}/s</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <source>Downloading {file}…</source>
        <translation>{file} 다운로드 중…</translation>
    </message>
    <message>
        <source>Unpacking {file}…</source>
        <translation>{file} 압축 푸는 중…</translation>
    </message>
    <message>
        <source>Checking {file}…</source>
        <translation>{file} 검사 중…</translation>
    </message>
    <message>
        <source>Installing {what}…</source>
        <translation>{what} 설치 중…</translation>
    </message>
    <message>
        <source>Importing {what}…</source>
        <translation>{what} 가져오는 중…</translation>
    </message>
    <message>
        <source>Verifying {what}…</source>
        <translation>{what} 검증 중…</translation>
    </message>
    <message>
        <source>Checking and activating {what}…</source>
        <translation>{what} 검사 및 활성화 중…</translation>
    </message>
    <message>
        <source>Removing {what}…</source>
        <translation>{what} 제거 중…</translation>
    </message>
    <message>
        <source>Loading and pinning {what}…</source>
        <translation>{what} 로드 및 고정 중…</translation>
    </message>
    <message>
        <source>Unpinning {what}…</source>
        <translation>{what} 고정 해제 중…</translation>
    </message>
    <message>
        <source>Unloading {what}…</source>
        <translation>{what} 언로드 중…</translation>
    </message>
</context>
<context>
    <name>ModelsButtons</name>
    <message>
        <source>Roll &amp;back…</source>
        <translation>롤백(&amp;B)…</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>롤백</translation>
    </message>
    <message>
        <source>S&amp;witch version</source>
        <translation>버전 전환(&amp;W)</translation>
    </message>
    <message>
        <source>Switch version</source>
        <translation>버전 전환</translation>
    </message>
    <message>
        <source>Un&amp;pin</source>
        <translation>고정 해제(&amp;P)</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>고정 해제</translation>
    </message>
    <message>
        <source>&amp;Pin</source>
        <translation>고정(&amp;P)</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>고정</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>검증(&amp;V)</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>검증</translation>
    </message>
    <message>
        <source>&amp;Unload</source>
        <translation>언로드(&amp;U)</translation>
    </message>
    <message>
        <source>Unload</source>
        <translation>언로드</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>제거(&amp;R)…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>제거</translation>
    </message>
    <message>
        <source>&amp;Install</source>
        <translation>설치(&amp;I)</translation>
    </message>
    <message>
        <source>Install</source>
        <translation>설치</translation>
    </message>
    <message>
        <source>I&amp;mport a file…</source>
        <translation>파일 가져오기(&amp;M)…</translation>
    </message>
    <message>
        <source>Import a file</source>
        <translation>파일 가져오기</translation>
    </message>
    <message>
        <source>Re-hash the files and check the signature.</source>
        <translation>파일 해시를 다시 계산하고 서명을 확인합니다.</translation>
    </message>
    <message>
        <source>Keep the model loaded until you unpin it.</source>
        <translation>고정을 해제할 때까지 모델을 로드된 상태로 유지합니다.</translation>
    </message>
    <message>
        <source>Download, verify and install the selected catalog model.</source>
        <translation>선택한 카탈로그 모델을 다운로드하고 검증한 뒤 설치합니다.</translation>
    </message>
    <message>
        <source>Add a model file you trust, signed by this computer&apos;s key.</source>
        <translation>신뢰하는 모델 파일을 이 컴퓨터의 키로 서명해 추가합니다.</translation>
    </message>
</context>
</TS>
