<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ModelsPage</name>
    <message>
        <source>Models</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Installed models</source>
        <translation>설치된 모델</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>카탈로그</translation>
    </message>
    <message>
        <source>Versio&amp;n:</source>
        <translation>버전(&amp;N):</translation>
    </message>
    <message>
        <source>Version to activate</source>
        <translation>활성화할 버전</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Catalog status</source>
        <translation>카탈로그 상태</translation>
    </message>
    <message>
        <source>Switch to another version before removing the active one.</source>
        <translation>활성 버전을 제거하려면 먼저 다른 버전으로 전환하세요.</translation>
    </message>
    <message>
        <source>The model catalog is unavailable: {reason}</source>
        <translation>모델 카탈로그를 사용할 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>The catalog offers no models.</source>
        <translation>카탈로그에 제공되는 모델이 없습니다.</translation>
    </message>
    <message>
        <source>Roll back {name}</source>
        <translation>{name} 롤백</translation>
    </message>
    <message>
        <source>Roll back {name} from {active} to the older version {version}? Aurora checks {version} before it becomes active, and the rollback is recorded in the audit log.</source>
        <translation>{name}을(를) {active}에서 이전 버전 {version}(으)로 롤백할까요? Aurora는 {version}을(를) 활성화하기 전에 검사하며, 롤백은 감사 기록에 남습니다.</translation>
    </message>
    <message>
        <source>Roll &amp;back</source>
        <translation>롤백(&amp;B)</translation>
    </message>
    <message>
        <source>Remove {label}</source>
        <translation>{label} 제거</translation>
    </message>
    <message>
        <source>Remove {label}? Its files are deleted from this computer; you can install it again later.</source>
        <translation>{label}을(를) 제거할까요? 파일이 이 컴퓨터에서 삭제되며, 나중에 다시 설치할 수 있습니다.</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>제거(&amp;R)</translation>
    </message>
    <message>
        <source>Import a model file</source>
        <translation>모델 파일 가져오기</translation>
    </message>
    <message>
        <source>Model files (*.gguf *.onnx *.safetensors)</source>
        <translation>모델 파일 (*.gguf *.onnx *.safetensors)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>{name}: the active version is now {version} (was {previous}).</source>
        <translation>{name}: 이제 활성 버전은 {version}입니다(이전: {previous}).</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>{name} will unload as soon as its current request ends.</source>
        <translation>{name}은(는) 현재 요청이 끝나는 즉시 언로드됩니다.</translation>
    </message>
    <message>
        <source>{what}: OK (signature and sha256).</source>
        <translation>{what}: 정상(서명 및 sha256).</translation>
    </message>
    <message>
        <source>Removed {what}.</source>
        <translation>{what}을(를) 제거했습니다.</translation>
    </message>
    <message>
        <source>{what} was unloaded.</source>
        <translation>{what}을(를) 언로드했습니다.</translation>
    </message>
    <message>
        <source>{what} is loaded and pinned: it stays loaded until you unpin it.</source>
        <translation>{what}이(가) 로드되어 고정되었습니다. 고정을 해제할 때까지 로드된 상태로 유지됩니다.</translation>
    </message>
    <message>
        <source>{what} is no longer pinned and unloads after it has been idle.</source>
        <translation>{what}의 고정이 해제되었습니다. 한동안 사용하지 않으면 언로드됩니다.</translation>
    </message>
    <message>
        <source>{label} is installed and active.</source>
        <translation>{label}이(가) 설치되어 활성화되었습니다.</translation>
    </message>
    <message>
        <source>{label} is already installed and active.</source>
        <translation>{label}은(는) 이미 설치되어 활성화되어 있습니다.</translation>
    </message>
    <message>
        <source>{label} was installed but not activated, because a newer version was installed before; to roll back, select it, choose {version} under Version and press Roll back.</source>
        <translation>{label}은(는) 설치되었지만 활성화되지 않았습니다. 더 새로운 버전이 이미 설치된 적이 있기 때문입니다. 롤백하려면 모델을 선택하고 버전에서 {version}을(를) 고른 뒤 롤백을 누르세요.</translation>
    </message>
    <message>
        <source>{what} was cancelled; start it again when you are ready (a download resumes where it stopped).</source>
        <translation>{what} 작업을 취소했습니다. 준비되면 다시 시작하세요(다운로드는 멈춘 곳부터 이어집니다).</translation>
    </message>
    <message>
        <source>{what} failed unexpectedly ({detail}); try again, and if it repeats, restart Aurora.</source>
        <translation>{what} 작업이 예기치 않게 실패했습니다({detail}). 다시 시도하고, 반복되면 Aurora를 다시 시작하세요.</translation>
    </message>
</context>
</TS>
