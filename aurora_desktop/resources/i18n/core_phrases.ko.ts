<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name></name>
    <message>
        <source>&apos;parts&apos; must be a list of 1 to {MAX_PARTS} wheel members</source>
        <translation>&apos;parts&apos;는 1~{MAX_PARTS}개의 wheel 구성 파일 목록이어야 합니다</translation>
    </message>
    <message>
        <source>1 attempt</source>
        <translation>1회 시도</translation>
    </message>
    <message>
        <source>A JSON Schema must be a JSON object.</source>
        <translation>JSON Schema는 JSON 객체여야 합니다.</translation>
    </message>
    <message>
        <source>A consent can last at most {MAX_DAYS} days (ten years) and must end in the future.</source>
        <translation>동의는 최대 {MAX_DAYS}일(10년)까지 유지될 수 있으며, 만료 시점은 미래여야 합니다.</translation>
    </message>
    <message>
        <source>A consent can last more than 0 and at most {MAX_DAYS} days (ten years), not {days}.</source>
        <translation>동의 기간은 {days}이(가) 아니라 0일 초과 {MAX_DAYS}일(10년) 이하여야 합니다.</translation>
    </message>
    <message>
        <source>A high-risk request cannot be sent to a cloud model; choose a local model or lower the risk.</source>
        <translation>높은 위험도의 요청은 클라우드 모델로 보낼 수 없습니다. 로컬 모델을 선택하거나 위험도를 낮추세요.</translation>
    </message>
    <message>
        <source>A label set cannot contain a blank label.</source>
        <translation>레이블 세트에 빈 레이블이 있을 수 없습니다.</translation>
    </message>
    <message>
        <source>A label set needs at least one label, and no label may be blank.</source>
        <translation>레이블 세트에는 레이블이 하나 이상 있어야 하며, 빈 레이블이 있으면 안 됩니다.</translation>
    </message>
    <message>
        <source>A label set needs at least one label.</source>
        <translation>레이블 세트에는 레이블이 하나 이상 필요합니다.</translation>
    </message>
    <message>
        <source>A plan has 1 to 20 steps, and its minimum cannot pass its maximum.</source>
        <translation>계획은 1~20단계로 구성되며, 최솟값이 최댓값보다 클 수 없습니다.</translation>
    </message>
    <message>
        <source>A plan step line must allow at least 4 characters.</source>
        <translation>계획 단계 한 줄은 최소 4자를 허용해야 합니다.</translation>
    </message>
    <message>
        <source>A planner runs between 2 and 12 steps.</source>
        <translation>플래너는 2~12단계를 실행합니다.</translation>
    </message>
    <message>
        <source>A request must be a JSON object.</source>
        <translation>요청은 JSON 객체여야 합니다.</translation>
    </message>
    <message>
        <source>A request needs exactly one of prompt or messages.</source>
        <translation>요청에는 prompt와 messages 중 정확히 하나만 있어야 합니다.</translation>
    </message>
    <message>
        <source>Another Aurora process is still changing {what}; wait for it to finish and retry.</source>
        <translation>다른 Aurora 프로세스가 아직 {what}을(를) 변경하고 있습니다. 끝날 때까지 기다린 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>At {where}: {message}.</source>
        <translation>{where}에서: {message}.</translation>
    </message>
    <message>
        <source>Aurora cannot read and write its data folder {root} ({reason}); point {HOME_ENV} at a folder you own.</source>
        <translation>Aurora가 데이터 폴더 {root}을(를) 읽고 쓸 수 없습니다({reason}). {HOME_ENV}이(가) 사용자 소유의 폴더를 가리키도록 설정하세요.</translation>
    </message>
    <message>
        <source>Aurora has no record of making {name} {found} active (model_manifest.json was edited by hand, or the seal was removed); to use it run &apos;aurora models switch {name} --version {found}&apos;.</source>
        <translation>Aurora가 {name} {found}을(를) 활성화한 기록이 없습니다(model_manifest.json을 직접 수정했거나 봉인이 제거되었습니다). 이 버전을 사용하려면 &apos;aurora models switch {name} --version {found}&apos;을(를) 실행하세요.</translation>
    </message>
    <message>
        <source>Aurora may not read {root} without your consent, so nothing was ingested; allow it when asked, or pass --yes.</source>
        <translation>Aurora는 동의 없이 {root}을(를) 읽을 수 없으므로 아무것도 수집하지 않았습니다. 요청이 표시되면 허용하거나 --yes를 지정하세요.</translation>
    </message>
    <message>
        <source>Aurora stopped {where} because it contains the banned word &quot;{verdict_blocked_by}&quot;. Rephrase it, or edit the banned-word list in Settings.</source>
        <translation>금지어 &quot;{verdict_blocked_by}&quot;이(가) 포함되어 있어 Aurora가 {where}을(를) 중지했습니다. 표현을 바꾸거나 설정에서 금지어 목록을 편집하세요.</translation>
    </message>
    <message>
        <source>Aurora&apos;s data folder {root} is a file, not a folder; point {HOME_ENV} at a folder you own.</source>
        <translation>Aurora 데이터 폴더 {root}은(는) 폴더가 아니라 파일입니다. {HOME_ENV}이(가) 사용자 소유의 폴더를 가리키도록 설정하세요.</translation>
    </message>
    <message>
        <source>Cannot read the model file {source_path} ({exc_strerror_or_exc}); check that it exists and is readable.</source>
        <translation>모델 파일 {source_path}을(를) 읽을 수 없습니다({exc_strerror_or_exc}). 파일이 있고 읽을 수 있는지 확인하세요.</translation>
    </message>
    <message>
        <source>Cannot tell the format of {path_name}; pass --format ({join_MODEL_FORMATS}).</source>
        <translation>{path_name}의 형식을 알 수 없습니다. --format({join_MODEL_FORMATS})을 지정하세요.</translation>
    </message>
    <message>
        <source>Checking the model file</source>
        <translation>모델 파일 검사 중</translation>
    </message>
    <message>
        <source>Checking the partial download of {name}</source>
        <translation>{name}의 일부 다운로드 파일 검사 중</translation>
    </message>
    <message>
        <source>Consent for {request_scope} was not given, so nothing was sent to {request_recipient}.</source>
        <translation>{request_scope}에 대한 동의가 없어 {request_recipient}(으)로 아무것도 보내지 않았습니다.</translation>
    </message>
    <message>
        <source>Could not download {label} from the package index ({detail_strip_or_code}); check the network connection and try again.</source>
        <translation>패키지 색인에서 {label}을(를) 다운로드하지 못했습니다({detail_strip_or_code}). 네트워크 연결을 확인하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Could not download {sink_name} from {shown_url_url} after {attempts_failures} ({exc}); the {sink_done} bytes received were kept, so try again to resume.</source>
        <translation>{attempts_failures} 후에도 {shown_url_url}에서 {sink_name}을(를) 다운로드하지 못했습니다({exc}). 받은 {sink_done}바이트는 보존되었으니 다시 시도하면 이어서 받습니다.</translation>
    </message>
    <message>
        <source>Could not start pip to download {label} ({exc}); reinstall Aurora and try again.</source>
        <translation>{label}을(를) 다운로드할 pip을 시작하지 못했습니다({exc}). Aurora를 다시 설치한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Could not write {dest_name} into {dest_parent} ({exc_strerror_or_exc}); check free disk space and folder permissions, then try again.</source>
        <translation>{dest_parent}에 {dest_name}을(를) 쓰지 못했습니다({exc_strerror_or_exc}). 디스크 여유 공간과 폴더 권한을 확인한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Could not write {path} ({exc}); free some disk space and try again.</source>
        <translation>{path}을(를) 쓰지 못했습니다({exc}). 디스크 공간을 확보한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Downloading {label}</source>
        <translation>{label} 다운로드 중</translation>
    </message>
    <message>
        <source>Downloading {sink_name}</source>
        <translation>{sink_name} 다운로드 중</translation>
    </message>
    <message>
        <source>Embedding the documents again with {model} was stopped after {done} of {total} chunks; it goes on from there next time.</source>
        <translation>{model}(으)로 문서를 다시 임베딩하는 작업이 청크 {total}개 중 {done}개에서 중단되었습니다. 다음에 그 지점부터 이어서 진행합니다.</translation>
    </message>
    <message>
        <source>Every route failed ({then_join_plan}): {last}</source>
        <translation>모든 경로가 실패했습니다({then_join_plan}): {last}</translation>
    </message>
    <message>
        <source>Fetching {sink_name}</source>
        <translation>{sink_name} 가져오는 중</translation>
    </message>
    <message>
        <source>Installing {file_path}</source>
        <translation>{file_path} 설치 중</translation>
    </message>
    <message>
        <source>Loading {name} again.</source>
        <translation>{name}을(를) 다시 로드합니다.</translation>
    </message>
    <message>
        <source>Loading {name} needs {need} but only {free} is free, and every loaded model is in use or pinned; close other programs or unpin a model.</source>
        <translation>{name}을(를) 로드하려면 {need}이(가) 필요하지만 남은 용량은 {free}뿐이며, 로드된 모델이 모두 사용 중이거나 고정되어 있습니다. 다른 프로그램을 닫거나 모델 고정을 해제하세요.</translation>
    </message>
    <message>
        <source>Loading {name} needs {need} but only {free} is free, and unloading every idle model would free just {idle} more; close other programs, unpin a model or choose a smaller one.</source>
        <translation>{name}을(를) 로드하려면 {need}이(가) 필요하지만 남은 용량은 {free}뿐이며, 유휴 모델을 모두 언로드해도 {idle}만 더 확보됩니다. 다른 프로그램을 닫거나, 모델 고정을 해제하거나, 더 작은 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>Loading {name}.</source>
        <translation>{name}을(를) 로드합니다.</translation>
    </message>
    <message>
        <source>No cloud provider is configured; add one with &apos;aurora providers add&apos;, or keep the request on this device.</source>
        <translation>설정된 클라우드 공급자가 없습니다. &apos;aurora providers add&apos;로 추가하거나 요청을 이 기기에서 처리하세요.</translation>
    </message>
    <message>
        <source>No cloud provider matches {wanted}; configured providers: {known}.</source>
        <translation>{wanted}와(과) 일치하는 클라우드 공급자가 없습니다. 설정된 공급자: {known}.</translation>
    </message>
    <message>
        <source>No documents are indexed yet; run &apos;aurora rag ingest FOLDER&apos; first.</source>
        <translation>아직 색인된 문서가 없습니다. 먼저 &apos;aurora rag ingest FOLDER&apos;를 실행하세요.</translation>
    </message>
    <message>
        <source>No rule matched ({facts_values}), so the default target {policy_default_target} applies.</source>
        <translation>일치하는 규칙이 없어({facts_values}) 기본 대상 {policy_default_target}이(가) 적용됩니다.</translation>
    </message>
    <message>
        <source>No trusted key has the id {key_id}; see &apos;aurora models trust list&apos;.</source>
        <translation>ID가 {key_id}인 신뢰할 수 있는 키가 없습니다. &apos;aurora models trust list&apos;를 확인하세요.</translation>
    </message>
    <message>
        <source>No usable OS keyring can hold the API key for {name} ({exc}); install or unlock one (Windows Credential Manager, GNOME Keyring, KWallet) and retry.</source>
        <translation>{name}의 API 키를 보관할 수 있는 OS 키링이 없습니다({exc}). 키링(Windows 자격 증명 관리자, GNOME Keyring, KWallet)을 설치하거나 잠금 해제한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>No usable OS keyring can hold your local signing key ({exc}); install or unlock one (Windows Credential Manager, GNOME Keyring, KWallet) and retry.</source>
        <translation>로컬 서명 키를 보관할 수 있는 OS 키링이 없습니다({exc}). 키링(Windows 자격 증명 관리자, GNOME Keyring, KWallet)을 설치하거나 잠금 해제한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>No version of {name} is installed; run &apos;aurora models fetch {name}&apos;.</source>
        <translation>{name}은(는) 설치된 버전이 없습니다. &apos;aurora models fetch {name}&apos;을(를) 실행하세요.</translation>
    </message>
    <message>
        <source>No version of {name} is installed; see &apos;aurora models list&apos;.</source>
        <translation>{name}은(는) 설치된 버전이 없습니다. &apos;aurora models list&apos;를 확인하세요.</translation>
    </message>
    <message>
        <source>ONNX Runtime GenAI could not load {model_dir_name} ({reason}); reinstall the model or choose another one.</source>
        <translation>ONNX Runtime GenAI가 {model_dir_name}을(를) 로드하지 못했습니다({reason}). 모델을 다시 설치하거나 다른 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>ONNX Runtime could not load the embedding model {path_name} ({reason}); reinstall the model.</source>
        <translation>ONNX Runtime이 임베딩 모델 {path_name}을(를) 로드하지 못했습니다({reason}). 모델을 다시 설치하세요.</translation>
    </message>
    <message>
        <source>Only {share} of its words come from the text it was given.</source>
        <translation>출력 단어 중 {share}만 주어진 텍스트에서 나왔습니다.</translation>
    </message>
    <message>
        <source>Output length bounds in {unit} cannot be negative.</source>
        <translation>{unit} 기준 출력 길이 한도는 음수일 수 없습니다.</translation>
    </message>
    <message>
        <source>PII row {number} has a span outside its text.</source>
        <translation>PII {number}번째 줄의 범위가 텍스트 밖에 있습니다.</translation>
    </message>
    <message>
        <source>PII row {number} has the type {entity_get_type}; use one of {join_TYPE_TO_KIND}.</source>
        <translation>PII {number}번째 줄의 유형 {entity_get_type}은(는) 쓸 수 없습니다. {join_TYPE_TO_KIND} 중 하나를 쓰세요.</translation>
    </message>
    <message>
        <source>PII row {number} needs a text and lists of entities.</source>
        <translation>PII {number}번째 줄에는 text와 entities 목록이 있어야 합니다.</translation>
    </message>
    <message>
        <source>Personal data could not be masked ({exc}), so the request is treated as high risk and was not sent off this device.</source>
        <translation>개인정보를 마스킹하지 못해({exc}) 요청을 높은 위험도로 처리했으며 이 기기 밖으로 보내지 않았습니다.</translation>
    </message>
    <message>
        <source>Plan: no usable step list, so the request runs as one step.</source>
        <translation>계획: 사용할 수 있는 단계 목록이 없어 요청을 한 단계로 실행합니다.</translation>
    </message>
    <message>
        <source>Plan: {listed}</source>
        <translation>계획: {listed}</translation>
    </message>
    <message>
        <source>Answered in {shown}.</source>
        <translation>{shown}(으)로 답변했습니다.</translation>
    </message>
    <message>
        <source>Question {line} needs a &apos;question&apos; text and a gold &apos;doc&apos; file name.</source>
        <translation>질문 {line}에는 &apos;question&apos; 텍스트와 정답 &apos;doc&apos; 파일 이름이 있어야 합니다.</translation>
    </message>
    <message>
        <source>Refusing to write an invalid model manifest ({error}).</source>
        <translation>잘못된 모델 매니페스트는 기록하지 않습니다({error}).</translation>
    </message>
    <message>
        <source>Rule {rule_index} &quot;{rule_name}&quot; matched ({facts__matched_rule_features_slo}).</source>
        <translation>규칙 {rule_index} &quot;{rule_name}&quot;이(가) 일치했습니다({facts__matched_rule_features_slo}).</translation>
    </message>
    <message>
        <source>Say which labels to choose from (a label set or a list).</source>
        <translation>고를 레이블을 지정하세요(레이블 세트 또는 목록).</translation>
    </message>
    <message>
        <source>Start at login could not be {verb} ({reason} in {where}); check the permissions there and try again.</source>
        <translation>로그인 시 시작 설정({verb})을 적용하지 못했습니다({reason}, 위치: {where}). 해당 위치의 권한을 확인하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Step {index} of {total} done on {step_target} ({step_model}, {step_tokens_out} tokens, {step_latency_ms} ms).</source>
        <translation>{total}단계 중 {index}단계를 {step_target}에서 완료했습니다({step_model}, 토큰 {step_tokens_out}개, {step_latency_ms} ms).</translation>
    </message>
    <message>
        <source>Step {index} of {total}: {plan_steps_index_1}</source>
        <translation>{total}단계 중 {index}단계: {plan_steps_index_1}</translation>
    </message>
    <message>
        <source>The API key for {name} could not be removed from the OS keyring ({exc}); unlock the keyring and retry.</source>
        <translation>{name}의 API 키를 OS 키링에서 삭제하지 못했습니다({exc}). 키링 잠금을 해제하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The API key is empty or contains spaces; paste the key exactly as the provider shows it.</source>
        <translation>API 키가 비어 있거나 공백을 포함합니다. 공급자가 표시한 키를 그대로 붙여 넣으세요.</translation>
    </message>
    <message>
        <source>The JSON Schema is invalid ({exc}); fix it and try again.</source>
        <translation>JSON Schema가 올바르지 않습니다({exc}). 수정한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The OS keyring cannot be read ({exc}); unlock or install a keyring and retry.</source>
        <translation>OS 키링을 읽을 수 없습니다({exc}). 키링 잠금을 해제하거나 키링을 설치한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The OS keyring cannot be read, so Aurora cannot check which keys and model versions it approved ({exc}); unlock the keyring and retry.</source>
        <translation>OS 키링을 읽을 수 없어 Aurora가 승인한 키와 모델 버전을 확인할 수 없습니다({exc}). 키링 잠금을 해제하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The base URL {shown_url} is not a web address; {hint}</source>
        <translation>기본 URL {shown_url}은(는) 웹 주소가 아닙니다. {hint}</translation>
    </message>
    <message>
        <source>The base URL {shown_url} is not an http(s) address; {hint}</source>
        <translation>기본 URL {shown_url}은(는) http(s) 주소가 아닙니다. {hint}</translation>
    </message>
    <message>
        <source>The base URL {shown_url} must not hold a user name, password, query or fragment; {hint}</source>
        <translation>기본 URL {shown_url}에는 사용자 이름, 비밀번호, 쿼리, 프래그먼트를 넣을 수 없습니다. {hint}</translation>
    </message>
    <message>
        <source>The catalog has no model {label}; available: {known}.</source>
        <translation>카탈로그에 {label} 모델이 없습니다. 사용 가능: {known}.</translation>
    </message>
    <message>
        <source>The consent scope is empty; {hint}</source>
        <translation>동의 범위가 비어 있습니다. {hint}</translation>
    </message>
    <message>
        <source>The conversation is {len_tokens} tokens but {model_name} reads at most {n_ctx}; start a new chat or shorten the prompt.</source>
        <translation>대화가 {len_tokens}토큰이지만 {model_name}은(는) 최대 {n_ctx}토큰까지만 읽을 수 있습니다. 새 대화를 시작하거나 프롬프트를 줄이세요.</translation>
    </message>
    <message>
        <source>The document index {RAG_DIR}/{DB_NAME} was damaged, so Aurora moved the folder aside as {moved_name}; run &apos;aurora rag ingest FOLDER&apos; again to rebuild it.</source>
        <translation>문서 색인 {RAG_DIR}/{DB_NAME}이(가) 손상되어 Aurora가 폴더 이름을 {moved_name}(으)로 바꿔 두었습니다. 색인을 다시 만들려면 &apos;aurora rag ingest FOLDER&apos;를 다시 실행하세요.</translation>
    </message>
    <message>
        <source>The document index {path} cannot be opened ({exc}); check that Aurora&apos;s data folder is writable.</source>
        <translation>문서 색인 {path}을(를) 열 수 없습니다({exc}). Aurora 데이터 폴더에 쓸 수 있는지 확인하세요.</translation>
    </message>
    <message>
        <source>The document index {path} cannot be read ({exc}); delete the folder it is in and ingest again.</source>
        <translation>문서 색인 {path}을(를) 읽을 수 없습니다({exc}). 색인이 들어 있는 폴더를 삭제하고 다시 수집하세요.</translation>
    </message>
    <message>
        <source>The document index {path} does not say how wide its vectors are; delete its folder and ingest again.</source>
        <translation>문서 색인 {path}에 벡터 크기 정보가 없습니다. 해당 폴더를 삭제하고 다시 수집하세요.</translation>
    </message>
    <message>
        <source>The document index {path} has schema version {row_0}, and this Aurora reads version {SCHEMA_VERSION}; delete its folder and ingest again.</source>
        <translation>문서 색인 {path}의 스키마 버전은 {row_0}인데, 이 Aurora는 버전 {SCHEMA_VERSION}을(를) 읽습니다. 해당 폴더를 삭제하고 다시 수집하세요.</translation>
    </message>
    <message>
        <source>The embedding model was unloaded; load it again, then retry.</source>
        <translation>임베딩 모델이 언로드되었습니다. 다시 로드한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The embedding model {model_path} is missing; reinstall it.</source>
        <translation>임베딩 모델 {model_path}이(가) 없습니다. 다시 설치하세요.</translation>
    </message>
    <message>
        <source>The embedding model {path_name} asks for an input Aurora cannot give ({arg_name}: {arg_type}); choose a sentence-embedding model.</source>
        <translation>임베딩 모델 {path_name}이(가) Aurora가 제공할 수 없는 입력을 요구합니다({arg_name}: {arg_type}). 문장 임베딩 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>The embedding model {path_name} gives no fixed-width sentence vectors; choose another embedding model.</source>
        <translation>임베딩 모델 {path_name}은(는) 고정 길이 문장 벡터를 내지 않습니다. 다른 임베딩 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>The embedding model {path_name} gives no fixed-width vectors ({arg_name}: {arg_shape}); choose a sentence-embedding model.</source>
        <translation>임베딩 모델 {path_name}이(가) 고정 길이 벡터를 출력하지 않습니다({arg_name}: {arg_shape}). 문장 임베딩 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>The embedding model {path_name} takes no input_ids; choose a text encoder.</source>
        <translation>임베딩 모델 {path_name}은(는) input_ids를 입력으로 받지 않습니다. 텍스트 인코더를 선택하세요.</translation>
    </message>
    <message>
        <source>The embedding tokenizer {path_name} cannot be read ({join_str_exc_split}); reinstall the embedding model.</source>
        <translation>임베딩 토크나이저 {path_name}을(를) 읽을 수 없습니다({join_str_exc_split}). 임베딩 모델을 다시 설치하세요.</translation>
    </message>
    <message>
        <source>The embedding tokenizer {path} is missing; reinstall the embedding model.</source>
        <translation>임베딩 토크나이저 {path}이(가) 없습니다. 임베딩 모델을 다시 설치하세요.</translation>
    </message>
    <message>
        <source>The engine has shut down; restart Aurora to use it again.</source>
        <translation>엔진이 종료되었습니다. 다시 사용하려면 Aurora를 다시 시작하세요.</translation>
    </message>
    <message>
        <source>The ingest was stopped after {run_files_done} of {run_files_total} files; run it again to finish, nothing done is lost.</source>
        <translation>파일 {run_files_total}개 중 {run_files_done}개를 처리한 뒤 수집이 중지되었습니다. 끝까지 하려면 다시 실행하세요. 이미 처리한 내용은 유지됩니다.</translation>
    </message>
    <message>
        <source>The label set names the same label twice; make each label unique.</source>
        <translation>레이블 세트에 같은 레이블이 두 번 있습니다. 각 레이블을 고유하게 지정하세요.</translation>
    </message>
    <message>
        <source>The llama.cpp server for {model_name} exited (code {server_returncode}); it will be restarted for the next request.</source>
        <translation>{model_name}의 llama.cpp 서버가 종료되었습니다(코드 {server_returncode}). 다음 요청 때 다시 시작됩니다.</translation>
    </message>
    <message>
        <source>The llama.cpp server for {model_name} stopped answering; it will be restarted for the next request.</source>
        <translation>{model_name}의 llama.cpp 서버가 응답을 멈췄습니다. 다음 요청 때 다시 시작됩니다.</translation>
    </message>
    <message>
        <source>The llama.cpp server for {model_name} stopped while answering; it will be restarted for the next request.</source>
        <translation>{model_name}의 llama.cpp 서버가 답변 도중 중지되었습니다. 다음 요청 때 다시 시작됩니다.</translation>
    </message>
    <message>
        <source>The llama.cpp server for {name} could not be started ({exc}); check that Aurora&apos;s data folder is writable, and reinstall Aurora if this repeats.</source>
        <translation>{name}의 llama.cpp 서버를 시작하지 못했습니다({exc}). Aurora 데이터 폴더에 쓸 수 있는지 확인하고, 문제가 반복되면 Aurora를 다시 설치하세요.</translation>
    </message>
    <message>
        <source>The llama.cpp server for {name} did not start within {ready_timeout_s} s; try again, or choose a smaller model.</source>
        <translation>{name}의 llama.cpp 서버가 {ready_timeout_s}초 안에 시작되지 않았습니다. 다시 시도하거나 더 작은 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>The llama.cpp server was stopped while starting because its engine is closing; restart Aurora to use this model again.</source>
        <translation>엔진이 종료되는 중이어서 llama.cpp 서버가 시작 도중 중지되었습니다. 이 모델을 다시 사용하려면 Aurora를 다시 시작하세요.</translation>
    </message>
    <message>
        <source>The local signing key in the OS keyring is damaged; remove the &apos;{KEYRING_SERVICE}&apos; entry from the keyring and import the model again.</source>
        <translation>OS 키링의 로컬 서명 키가 손상되었습니다. 키링에서 &apos;{KEYRING_SERVICE}&apos; 항목을 삭제하고 모델을 다시 가져오세요.</translation>
    </message>
    <message>
        <source>The lock file {path} cannot be opened ({exc}); remove it and retry.</source>
        <translation>잠금 파일 {path}을(를) 열 수 없습니다({exc}). 이 파일을 제거하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The minimum output length ({low} {unit}) is above the maximum ({high}).</source>
        <translation>최소 출력 길이({low} {unit})가 최대 길이({high})보다 큽니다.</translation>
    </message>
    <message>
        <source>The model catalog {path} cannot be read ({exc}).</source>
        <translation>모델 카탈로그 {path}을(를) 읽을 수 없습니다({exc}).</translation>
    </message>
    <message>
        <source>The model catalog {path} is invalid ({error}).</source>
        <translation>모델 카탈로그 {path}이(가) 올바르지 않습니다({error}).</translation>
    </message>
    <message>
        <source>The model catalog {path} is not valid JSON ({exc}).</source>
        <translation>모델 카탈로그 {path}은(는) 올바른 JSON이 아닙니다({exc}).</translation>
    </message>
    <message>
        <source>The model catalog {path} is too large to be genuine.</source>
        <translation>모델 카탈로그 {path}은(는) 너무 커서 정상적인 파일로 볼 수 없습니다.</translation>
    </message>
    <message>
        <source>The model manifest {path} is invalid at {at} ({error}).</source>
        <translation>모델 매니페스트 {path}의 {at} 위치가 올바르지 않습니다({error}).</translation>
    </message>
    <message>
        <source>The model name {shown_model} is not allowed; give the provider&apos;s model name (1-200 characters, no spaces).</source>
        <translation>모델 이름 {shown_model}은(는) 사용할 수 없습니다. 공급자의 모델 이름을 입력하세요(1~200자, 공백 없음).</translation>
    </message>
    <message>
        <source>The model scheduler has shut down; restart Aurora to load models again.</source>
        <translation>모델 스케줄러가 종료되었습니다. 모델을 다시 로드하려면 Aurora를 다시 시작하세요.</translation>
    </message>
    <message>
        <source>The nearest labelled examples decided it on this device.</source>
        <translation>가장 가까운 레이블 예시를 바탕으로 이 기기에서 판단했습니다.</translation>
    </message>
    <message>
        <source>The new settings</source>
        <translation>새 설정</translation>
    </message>
    <message>
        <source>The onnx package is missing ({exc}); reinstall Aurora to use this model.</source>
        <translation>onnx 패키지가 없습니다({exc}). 이 모델을 쓰려면 Aurora를 다시 설치하세요.</translation>
    </message>
    <message>
        <source>The output does not match {spec_regex}.</source>
        <translation>출력이 {spec_regex}와(과) 일치하지 않습니다.</translation>
    </message>
    <message>
        <source>The output grammar does not parse; fix the label set or schema.</source>
        <translation>출력 문법을 해석할 수 없습니다. 레이블 세트나 스키마를 수정하세요.</translation>
    </message>
    <message>
        <source>The output has no banned words.</source>
        <translation>출력에 금지어가 없습니다.</translation>
    </message>
    <message>
        <source>The output has no content words to compare.</source>
        <translation>출력에 비교할 핵심 단어가 없습니다.</translation>
    </message>
    <message>
        <source>The output has text.</source>
        <translation>출력에 텍스트가 있습니다.</translation>
    </message>
    <message>
        <source>The output has {size} {unit}, within bounds.</source>
        <translation>출력 길이는 {size} {unit}이며 허용 범위 안에 있습니다.</translation>
    </message>
    <message>
        <source>The output has {size} {unit}; at least {low} are needed.</source>
        <translation>출력 길이가 {size} {unit}입니다. 최소 {low} 이상이어야 합니다.</translation>
    </message>
    <message>
        <source>The output has {size} {unit}; at most {high} are allowed.</source>
        <translation>출력 길이가 {size} {unit}입니다. 최대 {high}까지만 허용됩니다.</translation>
    </message>
    <message>
        <source>The output is JSON that matches the schema.</source>
        <translation>출력이 스키마와 일치하는 JSON입니다.</translation>
    </message>
    <message>
        <source>The output is data, not a refusal.</source>
        <translation>출력이 거부가 아닌 데이터입니다.</translation>
    </message>
    <message>
        <source>The output is empty.</source>
        <translation>출력이 비어 있습니다.</translation>
    </message>
    <message>
        <source>The output is not a refusal.</source>
        <translation>출력이 거부 응답이 아닙니다.</translation>
    </message>
    <message>
        <source>The output is not valid JSON.</source>
        <translation>출력이 올바른 JSON이 아닙니다.</translation>
    </message>
    <message>
        <source>The output is the label {label}.</source>
        <translation>출력이 레이블 {label}입니다.</translation>
    </message>
    <message>
        <source>The output matches the pattern.</source>
        <translation>출력이 패턴과 일치합니다.</translation>
    </message>
    <message>
        <source>The output pattern {regex} is not a valid regex ({exc}).</source>
        <translation>출력 패턴 {regex}은(는) 올바른 정규식이 아닙니다({exc}).</translation>
    </message>
    <message>
        <source>The output refuses or apologises ({found_group_0}).</source>
        <translation>출력이 거부하거나 사과하는 내용입니다({found_group_0}).</translation>
    </message>
    <message>
        <source>The output {said} is not one of: {shown}.</source>
        <translation>출력 {said}은(는) 다음 중 하나가 아닙니다: {shown}.</translation>
    </message>
    <message>
        <source>The planned answer was stopped {when}.</source>
        <translation>계획된 답변이 {when} 중지되었습니다.</translation>
    </message>
    <message>
        <source>The prompt is empty; type something to ask.</source>
        <translation>프롬프트가 비어 있습니다. 물어볼 내용을 입력하세요.</translation>
    </message>
    <message>
        <source>The prompt is longer than {MAX_PROMPT_CHARS} characters; shorten it.</source>
        <translation>프롬프트가 {MAX_PROMPT_CHARS}자보다 깁니다. 줄이세요.</translation>
    </message>
    <message>
        <source>The provider name {shown_name} is not allowed; use 1-40 lower-case letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter or digit.</source>
        <translation>공급자 이름 {shown_name}은(는) 사용할 수 없습니다. 영문 소문자, 숫자, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;로 된 1~40자를 사용하고, 영문자나 숫자로 시작하세요.</translation>
    </message>
    <message>
        <source>The question is empty; type what to look for.</source>
        <translation>질문이 비어 있습니다. 찾을 내용을 입력하세요.</translation>
    </message>
    <message>
        <source>{source} are not valid at {where} ({message}).</source>
        <translation>{source}이(가) {where}에서 올바르지 않습니다({message}).</translation>
    </message>
    <message>
        <source>{source} are not valid at {where} ({message}); fix or reset them.</source>
        <translation>{source}이(가) {where}에서 올바르지 않습니다({message}). 고치거나 초기화하세요.</translation>
    </message>
    <message>
        <source>{why} It ran on {hop_target} after: {join_fallbacks}.</source>
        <translation>{why} 다음 과정을 거쳐 {hop_target}에서 실행했습니다: {join_fallbacks}.</translation>
    </message>
    <message>
        <source>The request was stopped before it finished.</source>
        <translation>요청이 끝나기 전에 중지되었습니다.</translation>
    </message>
    <message>
        <source>An API key needs a name, such as the app that will use it.</source>
        <translation>API 키에는 이름이 필요합니다. 예를 들어 이 키를 쓸 앱의 이름을 입력하세요.</translation>
    </message>
    <message>
        <source>An API key needs one or more of the scopes {join_SCOPES}, not {join_map_repr_unknown_or_none}.</source>
        <translation>API 키에는 {join_SCOPES} 중 하나 이상의 권한이 필요합니다. {join_map_repr_unknown_or_none}은(는) 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>An app&apos;s risk is low, medium or high, not {risk}.</source>
        <translation>앱의 위험도는 {risk}이(가) 아니라 low, medium, high 중 하나여야 합니다.</translation>
    </message>
    <message>
        <source>An API key&apos;s name is one line of at most {MAX_NAME_CHARS} characters; choose a shorter or plainer name.</source>
        <translation>API 키 이름은 {MAX_NAME_CHARS}자 이하의 한 줄이어야 합니다. 더 짧거나 단순한 이름을 고르세요.</translation>
    </message>
    <message>
        <source>The API listens on {settings_api_bind}, so other machines on the network can reach it; keep its keys secret or set the address back to 127.0.0.1.</source>
        <translation>API가 {settings_api_bind}에서 수신하므로 네트워크의 다른 컴퓨터가 접근할 수 있습니다. 키를 비밀로 유지하거나 주소를 127.0.0.1로 되돌리세요.</translation>
    </message>
    <message>
        <source>The request was stopped before it started.</source>
        <translation>요청이 시작되기 전에 중지되었습니다.</translation>
    </message>
    <message>
        <source>The retriever must be one of {join_RETRIEVERS}.</source>
        <translation>검색 방식은 {join_RETRIEVERS} 중 하나여야 합니다.</translation>
    </message>
    <message>
        <source>The sentencepiece package is missing ({exc}); reinstall Aurora to use this model.</source>
        <translation>sentencepiece 패키지가 없습니다({exc}). 이 모델을 쓰려면 Aurora를 다시 설치하세요.</translation>
    </message>
    <message>
        <source>The server answered HTTP {code} ({reason}) for {shown_url_url}; check the model&apos;s source address.</source>
        <translation>서버가 {shown_url_url}에 대해 HTTP {code}({reason})을(를) 반환했습니다. 모델의 소스 주소를 확인하세요.</translation>
    </message>
    <message>
        <source>The server at {shown_url_url} refused every byte range (HTTP 416); check the model&apos;s source address.</source>
        <translation>{shown_url_url} 서버가 모든 바이트 범위 요청을 거부했습니다(HTTP 416). 모델의 소스 주소를 확인하세요.</translation>
    </message>
    <message>
        <source>The settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>The settings in {path}</source>
        <translation>{path}의 설정</translation>
    </message>
    <message>
        <source>The source of {name} ended after {done} of {size} bytes; it was not installed, so check where the model comes from.</source>
        <translation>{name}의 소스가 {size}바이트 중 {done}바이트에서 끝났습니다. 설치하지 않았으니 모델의 출처를 확인하세요.</translation>
    </message>
    <message>
        <source>The source of {name} sent more bytes than the {size} declared; it was not installed, so check where the model comes from.</source>
        <translation>{name}의 소스가 선언된 {size}바이트보다 많은 데이터를 보냈습니다. 설치하지 않았으니 모델의 출처를 확인하세요.</translation>
    </message>
    <message>
        <source>The source of {sink_name} announced only {total} of the {sink_size} bytes declared; it was not installed, so check where the model comes from.</source>
        <translation>{sink_name}의 소스가 알린 크기는 {total}바이트로, 선언된 {sink_size}바이트보다 작습니다. 설치하지 않았으니 모델의 출처를 확인하세요.</translation>
    </message>
    <message>
        <source>The source of {sink_name} announced {total} bytes, more than the {sink_size} declared; it was not installed, so check where the model comes from.</source>
        <translation>{sink_name}의 소스가 알린 크기는 {total}바이트로, 선언된 {sink_size}바이트보다 큽니다. 설치하지 않았으니 모델의 출처를 확인하세요.</translation>
    </message>
    <message>
        <source>The timeout must be between 0 and {MAX_TIMEOUT_S} seconds, not {timeout}.</source>
        <translation>시간 제한은 {timeout}이(가) 아니라 0초에서 {MAX_TIMEOUT_S}초 사이여야 합니다.</translation>
    </message>
    <message>
        <source>The tokenizer inside {path_name} cannot be read ({exc}); reinstall the model.</source>
        <translation>{path_name} 안의 토크나이저를 읽을 수 없습니다({exc}). 모델을 다시 설치하세요.</translation>
    </message>
    <message>
        <source>The {model_name} engine has shut down; restart Aurora to use it again.</source>
        <translation>{model_name} 엔진이 종료되었습니다. 다시 사용하려면 Aurora를 다시 시작하세요.</translation>
    </message>
    <message>
        <source>The {model_name} engine thread has stopped.</source>
        <translation>{model_name} 엔진 스레드가 중지되었습니다.</translation>
    </message>
    <message>
        <source>There are already {MAX_KEYS} API keys; revoke keys no app uses before making another.</source>
        <translation>API 키가 이미 {MAX_KEYS}개 있습니다. 새로 만들기 전에 쓰지 않는 키를 폐기하세요.</translation>
    </message>
    <message>
        <source>There is no active API key {key_id}; list the keys to see their ids.</source>
        <translation>활성 API 키 {key_id}이(가) 없습니다. 키 목록에서 ID를 확인하세요.</translation>
    </message>
    <message>
        <source>There is no cloud provider called {name} (configured: {known}); add it with &apos;aurora providers add&apos;.</source>
        <translation>{name}(이)라는 클라우드 공급자가 없습니다(설정된 공급자: {known}). &apos;aurora providers add&apos;로 추가하세요.</translation>
    </message>
    <message>
        <source>There is no label set {name} in labels.json; known: {known}.</source>
        <translation>labels.json에 {name} 레이블 세트가 없습니다. 사용 가능한 세트: {known}.</translation>
    </message>
    <message>
        <source>There is no setting called {join_unknown}; known settings: {join_sorted_FIELDS}.</source>
        <translation>{join_unknown}(이)라는 설정이 없습니다. 사용 가능한 설정: {join_sorted_FIELDS}.</translation>
    </message>
    <message>
        <source>This JSON Schema cannot be turned into an output grammar ({reason}); simplify it or leave it to the verifier.</source>
        <translation>이 JSON Schema는 출력 문법으로 변환할 수 없습니다({reason}). 스키마를 단순하게 바꾸거나 검증기에 맡기세요.</translation>
    </message>
    <message>
        <source>This JSON Schema is nested too deeply to build a grammar.</source>
        <translation>이 JSON Schema는 중첩이 너무 깊어 문법을 만들 수 없습니다.</translation>
    </message>
    <message>
        <source>This request is high risk, so it may only run on this device, and the local model failed: {last}</source>
        <translation>이 요청은 위험도가 높아 이 기기에서만 실행할 수 있는데, 로컬 모델이 실패했습니다: {last}</translation>
    </message>
    <message>
        <source>Unknown kind of personal data {join_unknown}; choose from {join_PRIORITY}.</source>
        <translation>알 수 없는 개인정보 종류입니다: {join_unknown}. {join_PRIORITY} 중에서 선택하세요.</translation>
    </message>
    <message>
        <source>Unknown model kind {kind}; use one of {join_MODEL_KINDS}.</source>
        <translation>알 수 없는 모델 종류입니다: {kind}. {join_MODEL_KINDS} 중 하나를 사용하세요.</translation>
    </message>
    <message>
        <source>Unknown request field {unknown_0}; known: {join_FIELDS}.</source>
        <translation>알 수 없는 요청 필드입니다: {unknown_0}. 사용 가능한 필드: {join_FIELDS}.</translation>
    </message>
    <message>
        <source>Unloading {slot_name} {reason}.</source>
        <translation>{reason} {slot_name}을(를) 언로드합니다.</translation>
    </message>
    <message>
        <source>a file source needs an absolute path, not {str_path}</source>
        <translation>파일 소스에는 {str_path} 대신 절대 경로가 필요합니다</translation>
    </message>
    <message>
        <source>a message role must be system, user or assistant, not {message_role}.</source>
        <translation>메시지 역할은 {message_role}이(가) 아니라 system, user, assistant 중 하나여야 합니다.</translation>
    </message>
    <message>
        <source>a provider entry is not an object</source>
        <translation>공급자 항목이 객체가 아님</translation>
    </message>
    <message>
        <source>a source must be an object, not {type_raw___name}</source>
        <translation>소스는 {type_raw___name}이(가) 아니라 객체여야 합니다</translation>
    </message>
    <message>
        <source>a url source must be an http:// or https:// address, not {url}</source>
        <translation>URL 소스는 {url}이(가) 아니라 http:// 또는 https:// 주소여야 합니다</translation>
    </message>
    <message>
        <source>after {index_1} of {len_plan_steps} planned steps</source>
        <translation>계획된 {len_plan_steps}단계 중 {index_1}단계를 마친 뒤</translation>
    </message>
    <message>
        <source>after {slot_ttl_s} s idle</source>
        <translation>{slot_ttl_s}초 동안 사용하지 않아</translation>
    </message>
    <message>
        <source>alternate local model {model}</source>
        <translation>다른 로컬 모델 {model}</translation>
    </message>
    <message>
        <source>an event is not JSON: {data_60}</source>
        <translation>이벤트가 JSON이 아닙니다: {data_60}</translation>
    </message>
    <message>
        <source>an event is not a JSON object</source>
        <translation>이벤트가 JSON 객체가 아닙니다</translation>
    </message>
    <message>
        <source>an event line is longer than 1 MiB</source>
        <translation>이벤트 줄이 1 MiB보다 깁니다</translation>
    </message>
    <message>
        <source>an origin ends with a line break</source>
        <translation>출처(origin)가 줄바꿈으로 끝납니다</translation>
    </message>
    <message>
        <source>anonymous must be true or false.</source>
        <translation>anonymous는 true 또는 false여야 합니다.</translation>
    </message>
    <message>
        <source>answered on 127.0.0.1:{server_port}</source>
        <translation>127.0.0.1:{server_port}에서 응답함</translation>
    </message>
    <message>
        <source>as soon as it went idle</source>
        <translation>유휴 상태가 되자마자</translation>
    </message>
    <message>
        <source>because it was asked to</source>
        <translation>요청에 따라</translation>
    </message>
    <message>
        <source>because {name} ran out of memory</source>
        <translation>{name}을(를) 로드할 메모리가 부족하여</translation>
    </message>
    <message>
        <source>before planning</source>
        <translation>계획을 세우기 전에</translation>
    </message>
    <message>
        <source>best similarity {top} &lt; {floor}</source>
        <translation>최고 유사도 {top} &lt; {floor}</translation>
    </message>
    <message>
        <source>binary content</source>
        <translation>바이너리 내용</translation>
    </message>
    <message>
        <source>cannot be read ({exc_strerror_or_type_exc___name})</source>
        <translation>읽을 수 없음({exc_strerror_or_type_exc___name})</translation>
    </message>
    <message>
        <source>cannot be read ({exc})</source>
        <translation>읽을 수 없음({exc})</translation>
    </message>
    <message>
        <source>characters</source>
        <translation>글자</translation>
    </message>
    <message>
        <source>check that it is running and the address is right, or try again later</source>
        <translation>실행 중인지, 주소가 올바른지 확인하거나 나중에 다시 시도하세요</translation>
    </message>
    <message>
        <source>choices is not a list of objects</source>
        <translation>choices 값이 객체 목록이 아닙니다</translation>
    </message>
    <message>
        <source>classifier failed ({exc}); asking with the labels spelled out</source>
        <translation>분류기가 실패했습니다({exc}). 레이블을 모두 나열해 다시 묻습니다</translation>
    </message>
    <message>
        <source>classify needs the labels to choose from; pass --labels A,B,C.</source>
        <translation>classify 작업에는 고를 레이블이 필요합니다. --labels A,B,C 옵션을 지정하세요.</translation>
    </message>
    <message>
        <source>close other programs or choose a smaller model</source>
        <translation>다른 프로그램을 닫거나 더 작은 모델을 선택하세요</translation>
    </message>
    <message>
        <source>closed the connection before answering</source>
        <translation>답변하기 전에 연결을 닫음</translation>
    </message>
    <message>
        <source>could not be reached at {config_base_url}</source>
        <translation>{config_base_url}에 연결할 수 없음</translation>
    </message>
    <message>
        <source>did not answer within {timeout} s</source>
        <translation>{timeout}초 안에 응답하지 않음</translation>
    </message>
    <message>
        <source>dropped the connection before answering</source>
        <translation>답변하기 전에 연결이 끊김</translation>
    </message>
    <message>
        <source>each label must be 1 to 60 characters, not {label}.</source>
        <translation>각 레이블은 {label}이(가) 아니라 1~60자여야 합니다.</translation>
    </message>
    <message>
        <source>each wheel part must be an object</source>
        <translation>각 wheel 조각은 객체여야 합니다</translation>
    </message>
    <message>
        <source>embedding + grammar {confidence} ({note})</source>
        <translation>임베딩 + 문법 {confidence} ({note})</translation>
    </message>
    <message>
        <source>embedding {confidence}</source>
        <translation>임베딩 {confidence}</translation>
    </message>
    <message>
        <source>embeddings unavailable: {exc}</source>
        <translation>임베딩을 사용할 수 없음: {exc}</translation>
    </message>
    <message>
        <source>entry</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>escalated to {model}</source>
        <translation>{model}(으)로 상향 전달</translation>
    </message>
    <message>
        <source>estimate (about 4 bytes per token)</source>
        <translation>추정치(토큰당 약 4바이트)</translation>
    </message>
    <message>
        <source>every text file under {root}</source>
        <translation>{root} 아래의 모든 텍스트 파일</translation>
    </message>
    <message>
        <source>extended</source>
        <translation>늘어남</translation>
    </message>
    <message>
        <source>extract needs a JSON Schema for its answer; pass --schema FILE.</source>
        <translation>extract 작업에는 답변용 JSON Schema가 필요합니다. --schema FILE 옵션을 지정하세요.</translation>
    </message>
    <message>
        <source>failed with a server error</source>
        <translation>서버 오류로 실패함</translation>
    </message>
    <message>
        <source>file source</source>
        <translation>파일 소스</translation>
    </message>
    <message>
        <source>first try</source>
        <translation>첫 시도</translation>
    </message>
    <message>
        <source>give it like https://api.example.com/v1 or http://127.0.0.1:8080/v1.</source>
        <translation>https://api.example.com/v1 또는 http://127.0.0.1:8080/v1 형식으로 입력하세요.</translation>
    </message>
    <message>
        <source>give one like cloud.send:PROVIDER or file.read:/path.</source>
        <translation>cloud.send:PROVIDER 또는 file.read:/path 형식으로 입력하세요.</translation>
    </message>
    <message>
        <source>grammar</source>
        <translation>문법</translation>
    </message>
    <message>
        <source>grammar ({note})</source>
        <translation>문법({note})</translation>
    </message>
    <message>
        <source>hidden file</source>
        <translation>숨김 파일</translation>
    </message>
    <message>
        <source>import of {path}</source>
        <translation>{path} 가져오기</translation>
    </message>
    <message>
        <source>is limiting requests</source>
        <translation>요청을 제한하는 중</translation>
    </message>
    <message>
        <source>it asks Aurora to wait {math_ceil_retry_after} s, so try again after that</source>
        <translation>{math_ceil_retry_after}초 기다려 달라고 하므로 그 뒤에 다시 시도하세요</translation>
    </message>
    <message>
        <source>it crashed with code 0x{returncode}</source>
        <translation>코드 0x{returncode}(으)로 비정상 종료됨</translation>
    </message>
    <message>
        <source>it crashed with signal {returncode}</source>
        <translation>시그널 {returncode}(으)로 비정상 종료됨</translation>
    </message>
    <message>
        <source>it crashed with {signal_Signals_returncode_name}</source>
        <translation>{signal_Signals_returncode_name}(으)로 비정상 종료됨</translation>
    </message>
    <message>
        <source>it exited with code {returncode}</source>
        <translation>코드 {returncode}(으)로 종료됨</translation>
    </message>
    <message>
        <source>it has no {exc_args_0}</source>
        <translation>{exc_args_0} 항목이 없음</translation>
    </message>
    <message>
        <source>it is nested too deeply</source>
        <translation>중첩이 너무 깊음</translation>
    </message>
    <message>
        <source>it is not UTF-8 text</source>
        <translation>UTF-8 텍스트가 아님</translation>
    </message>
    <message>
        <source>it is not a JSON object</source>
        <translation>JSON 객체가 아님</translation>
    </message>
    <message>
        <source>it stopped without saying why</source>
        <translation>이유를 남기지 않고 중지됨</translation>
    </message>
    <message>
        <source>k must be between 1 and {MAX_K}; ask for fewer documents.</source>
        <translation>k는 1에서 {MAX_K} 사이여야 합니다. 더 적은 수의 문서를 요청하세요.</translation>
    </message>
    <message>
        <source>k must be between 1 and {MAX_K}; ask for fewer sources.</source>
        <translation>k는 1에서 {MAX_K} 사이여야 합니다. 출처를 더 적게 요청하세요.</translation>
    </message>
    <message>
        <source>keep_alive_s must be a number of seconds from 0 to {MAX_KEEP_ALIVE_S} (a week).</source>
        <translation>keep_alive_s는 0부터 {MAX_KEEP_ALIVE_S}까지의 초(일주일)여야 합니다.</translation>
    </message>
    <message>
        <source>keys may be turned off only while the API listens on 127.0.0.1</source>
        <translation>API가 127.0.0.1에서만 수신할 때에만 키 요구를 끌 수 있습니다</translation>
    </message>
    <message>
        <source>labels must all be different.</source>
        <translation>레이블은 모두 서로 달라야 합니다.</translation>
    </message>
    <message>
        <source>labels must be a list of strings.</source>
        <translation>labels는 문자열 목록이어야 합니다.</translation>
    </message>
    <message>
        <source>labels must list between 2 and {MAX_LABELS} choices.</source>
        <translation>labels에는 2개에서 {MAX_LABELS}개 사이의 선택지를 나열해야 합니다.</translation>
    </message>
    <message>
        <source>larger than {max_bytes_1024_1024} MB</source>
        <translation>{max_bytes_1024_1024} MB보다 큼</translation>
    </message>
    <message>
        <source>llama.cpp could not load {model_path_name} ({exc}); reinstall the model or choose another one.</source>
        <translation>llama.cpp가 {model_path_name}을(를) 로드하지 못했습니다({exc}). 모델을 다시 설치하거나 다른 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>llama.cpp server could not load {model_path_name}: the file is missing; reinstall the model or choose another one.</source>
        <translation>llama.cpp 서버가 {model_path_name}을(를) 로드하지 못했습니다: 파일이 없습니다. 모델을 다시 설치하거나 다른 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>llama.cpp server could not load {name}: {startup_error_tail_server_return}; reinstall the model or choose another one.</source>
        <translation>llama.cpp 서버가 {name}을(를) 로드하지 못했습니다: {startup_error_tail_server_return}. 모델을 다시 설치하거나 다른 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>loaded</source>
        <translation>로드됨</translation>
    </message>
    <message>
        <source>loaded and in use</source>
        <translation>로드되어 사용 중</translation>
    </message>
    <message>
        <source>loaded on {provider}</source>
        <translation>{provider}에 로드됨</translation>
    </message>
    <message>
        <source>loading took longer than {timeout_s} s</source>
        <translation>로드가 {timeout_s}초보다 오래 걸림</translation>
    </message>
    <message>
        <source>max_retries must be a whole number from 0 to {MAX_RETRIES}.</source>
        <translation>max_retries는 0에서 {MAX_RETRIES} 사이의 정수여야 합니다.</translation>
    </message>
    <message>
        <source>max_tokens must be between 1 and 32768.</source>
        <translation>max_tokens는 1에서 32768 사이여야 합니다.</translation>
    </message>
    <message>
        <source>messages must be a non-empty list of {{role, content}} objects.</source>
        <translation>messages는 {{role, content}} 객체로 이루어진, 비어 있지 않은 목록이어야 합니다.</translation>
    </message>
    <message>
        <source>messages[{index}] needs a string content.</source>
        <translation>messages[{index}]에는 문자열 content가 필요합니다.</translation>
    </message>
    <message>
        <source>model tokenizer</source>
        <translation>모델 토크나이저</translation>
    </message>
    <message>
        <source>model_manifest.json names {found} as the active version of {name}, but that version is not installed; run &apos;aurora models switch {name} --version V&apos; with an installed version (see &apos;aurora models list&apos;).</source>
        <translation>model_manifest.json에는 {name}의 활성 버전이 {found}(으)로 적혀 있지만 그 버전은 설치되어 있지 않습니다. 설치된 버전으로 &apos;aurora models switch {name} --version V&apos;를 실행하세요(&apos;aurora models list&apos; 참고).</translation>
    </message>
    <message>
        <source>model_manifest.json was edited by hand to make {name} {found} active instead of {sealed}, so it is not used; to roll back run &apos;aurora models switch {name} --version {found}&apos;.</source>
        <translation>model_manifest.json을 직접 수정해 {sealed} 대신 {name} {found}을(를) 활성화했으므로 이 버전은 사용하지 않습니다. 롤백하려면 &apos;aurora models switch {name} --version {found}&apos;을(를) 실행하세요.</translation>
    </message>
    <message>
        <source>no extension</source>
        <translation>확장자 없음</translation>
    </message>
    <message>
        <source>no label has examples</source>
        <translation>예시가 있는 레이블 없음</translation>
    </message>
    <message>
        <source>no try passed every check; showing the best effort</source>
        <translation>모든 검사를 통과한 시도가 없어 최선의 답을 표시합니다</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>아직 없음</translation>
    </message>
    <message>
        <source>not UTF-8 text</source>
        <translation>UTF-8 텍스트가 아님</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation>일반 파일이 아님</translation>
    </message>
    <message>
        <source>not a regular file ({exc_kind})</source>
        <translation>일반 파일이 아님 ({exc_kind})</translation>
    </message>
    <message>
        <source>not a text file type ({kind})</source>
        <translation>텍스트 파일 형식이 아님({kind})</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>로드 안 됨</translation>
    </message>
    <message>
        <source>not loaded; the llama.cpp server starts with the first request</source>
        <translation>로드 안 됨, 첫 요청 때 llama.cpp 서버가 시작됨</translation>
    </message>
    <message>
        <source>one step</source>
        <translation>한 단계</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>통과</translation>
    </message>
    <message>
        <source>prompt must be a string.</source>
        <translation>prompt는 문자열이어야 합니다.</translation>
    </message>
    <message>
        <source>providers is not a list</source>
        <translation>providers 값이 목록이 아님</translation>
    </message>
    <message>
        <source>reachable as far as Aurora knows</source>
        <translation>Aurora가 아는 한 연결 가능</translation>
    </message>
    <message>
        <source>reinstall the model or choose another one</source>
        <translation>모델을 다시 설치하거나 다른 모델을 선택하세요</translation>
    </message>
    <message>
        <source>retry with the problem pointed out</source>
        <translation>문제점을 짚어 주고 다시 시도</translation>
    </message>
    <message>
        <source>retry {number}: {attempt_describe}</source>
        <translation>재시도 {number}: {attempt_describe}</translation>
    </message>
    <message>
        <source>risk must be low, medium or high, not {risk}.</source>
        <translation>risk는 {risk}이(가) 아니라 low, medium, high 중 하나여야 합니다.</translation>
    </message>
    <message>
        <source>schema must be a JSON object (a JSON Schema).</source>
        <translation>schema는 JSON 객체(JSON Schema)여야 합니다.</translation>
    </message>
    <message>
        <source>serving {model_name} on 127.0.0.1:{server_port} (pid {server_pid})</source>
        <translation>127.0.0.1:{server_port}에서 {model_name} 제공 중(pid {server_pid})</translation>
    </message>
    <message>
        <source>slo_ms must be between 1 and 3600000 milliseconds.</source>
        <translation>slo_ms는 1에서 3600000밀리초 사이여야 합니다.</translation>
    </message>
    <message>
        <source>stopped before it finished; not checked</source>
        <translation>끝나기 전에 중지되어 검사하지 않음</translation>
    </message>
    <message>
        <source>symbolic link</source>
        <translation>심볼릭 링크</translation>
    </message>
    <message>
        <source>task must be one of {join_REQUEST_TASKS}, not {task}.</source>
        <translation>task는 {task}이(가) 아니라 {join_REQUEST_TASKS} 중 하나여야 합니다.</translation>
    </message>
    <message>
        <source>task {detected_describe}</source>
        <translation>작업 {detected_describe}</translation>
    </message>
    <message>
        <source>task {detected_describe}; intent {intent_describe}</source>
        <translation>작업 {detected_describe}, 의도 {intent_describe}</translation>
    </message>
    <message>
        <source>task: {task} ({detected_describe})</source>
        <translation>작업: {task} ({detected_describe})</translation>
    </message>
    <message>
        <source>temperature must be between 0 and 2.</source>
        <translation>temperature는 0에서 2 사이여야 합니다.</translation>
    </message>
    <message>
        <source>the Windows registry exists only on Windows</source>
        <translation>Windows 레지스트리는 Windows에만 있습니다</translation>
    </message>
    <message>
        <source>the active version</source>
        <translation>활성 버전</translation>
    </message>
    <message>
        <source>the built-in policy</source>
        <translation>기본 제공 정책</translation>
    </message>
    <message>
        <source>the connection ended after {sink_done} of {sink_size} bytes</source>
        <translation>{sink_size}바이트 중 {sink_done}바이트에서 연결이 끊김</translation>
    </message>
    <message>
        <source>the decision ledger</source>
        <translation>라우팅 결정 기록</translation>
    </message>
    <message>
        <source>the document index</source>
        <translation>문서 색인</translation>
    </message>
    <message>
        <source>the document index on this device</source>
        <translation>이 기기의 문서 색인</translation>
    </message>
    <message>
        <source>the field {key} must be a non-empty string</source>
        <translation>{key} 필드는 비어 있지 않은 문자열이어야 합니다</translation>
    </message>
    <message>
        <source>{bind} is not an IP address</source>
        <translation>{bind}은(는) IP 주소가 아닙니다</translation>
    </message>
    <message>
        <source>{folder} cannot be opened as a folder ({exc}).</source>
        <translation>{folder}을(를) 폴더로 열 수 없습니다({exc}).</translation>
    </message>
    <message>
        <source>{folder} holds no evaluation set ({join_only}); see bench/eval-data/README.md for the file names and formats.</source>
        <translation>{folder}에 평가 세트({join_only})가 없습니다. 파일 이름과 형식은 bench/eval-data/README.md를 참고하세요.</translation>
    </message>
    <message>
        <source>{folder} is not a folder; give a folder of evaluation files.</source>
        <translation>{folder}은(는) 폴더가 아닙니다. 평가 파일이 든 폴더를 지정하세요.</translation>
    </message>
    <message>
        <source>{installed_entry_display_name} is not an ONNX model; choose a sentence-embedding model from the catalog.</source>
        <translation>{installed_entry_display_name}은(는) ONNX 모델이 아닙니다. 카탈로그에서 문장 임베딩 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>{number} {what} ({hop_target} · {hop_model}): {result}</source>
        <translation>{number} {what} ({hop_target} · {hop_model}): {result}</translation>
    </message>
    <message>
        <source>{path_name} ({what}) was damaged, so Aurora moved it aside as {moved_name} and started a new one.</source>
        <translation>{path_name}({what})이(가) 손상되어 Aurora가 파일 이름을 {moved_name}(으)로 바꿔 두고 새로 만들었습니다.</translation>
    </message>
    <message>
        <source>{path_name} was not added through Aurora, so key {key_key_id} is not trusted; to trust a key run &apos;aurora models trust add FILE&apos;.</source>
        <translation>{path_name}은(는) Aurora를 통해 추가되지 않았으므로 키 {key_key_id}을(를) 신뢰하지 않습니다. 키를 신뢰하려면 &apos;aurora models trust add FILE&apos;을 실행하세요.</translation>
    </message>
    <message>
        <source>{path} ({what}) cannot be used ({reason}); check that Aurora may read and write it, and retry.</source>
        <translation>{path}({what})을(를) 사용할 수 없습니다({reason}). Aurora가 이 파일을 읽고 쓸 수 있는지 확인한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>{path} is damaged (it is not a list of API keys Aurora wrote); restore it or delete it and make new keys.</source>
        <translation>{path}이(가) 손상되었습니다(Aurora가 쓴 API 키 목록이 아닙니다). 복원하거나 삭제한 뒤 새 키를 만드세요.</translation>
    </message>
    <message>
        <source>{path} is damaged (none of its entries is a consent Aurora wrote); fix it or delete it to start over.</source>
        <translation>{path}이(가) 손상되었습니다(Aurora가 기록한 동의 항목이 하나도 없음). 파일을 고치거나, 삭제하고 처음부터 다시 시작하세요.</translation>
    </message>
    <message>
        <source>{path} is damaged ({problem_exc}), so no cloud provider can be used; fix it or delete it and add the providers again.</source>
        <translation>{path}이(가) 손상되어({problem_exc}) 클라우드 공급자를 사용할 수 없습니다. 파일을 고치거나, 삭제한 뒤 공급자를 다시 추가하세요.</translation>
    </message>
    <message>
        <source>{path} is damaged ({reason_exc}); fix it or delete it to start over.</source>
        <translation>{path}이(가) 손상되었습니다({reason_exc}). 파일을 고치거나, 삭제하고 처음부터 다시 시작하세요.</translation>
    </message>
    <message>
        <source>{path} is damaged and cannot be moved aside ({exc}); close the other programs using it, or move it away yourself, and retry.</source>
        <translation>{path}이(가) 손상되었지만 다른 곳으로 옮길 수 없습니다({exc}). 이 파일을 사용하는 다른 프로그램을 닫거나 직접 옮긴 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>{path} must hold a list of consents; fix it or delete it to start over.</source>
        <translation>{path}에는 동의 목록이 있어야 합니다. 파일을 고치거나, 삭제하고 처음부터 다시 시작하세요.</translation>
    </message>
    <message>
        <source>{reason}; Aurora uses the default settings until you fix or delete it.</source>
        <translation>{reason}; 파일을 고치거나 지울 때까지 Aurora는 기본 설정을 사용합니다.</translation>
    </message>
    <message>
        <source>{reason}; fix or delete it: until then no request is answered.</source>
        <translation>{reason}; 파일을 고치거나 지우세요. 그때까지는 어떤 요청에도 답하지 않습니다.</translation>
    </message>
    <message>
        <source>{reason}; the built-in routing policy is used until the file is fixed.</source>
        <translation>{reason}; 파일을 고칠 때까지 기본 라우팅 정책을 사용합니다.</translation>
    </message>
    <message>
        <source>{reason}; the last valid banned-word list stays in force until it is fixed.</source>
        <translation>{reason}; 고칠 때까지 마지막으로 유효했던 금지어 목록이 계속 적용됩니다.</translation>
    </message>
    <message>
        <source>{reason}; the last valid label sets stay in force until it is fixed.</source>
        <translation>{reason}; 고칠 때까지 마지막으로 유효했던 레이블 세트가 계속 적용됩니다.</translation>
    </message>
    <message>
        <source>{reason}; the last valid routing policy stays in force until it is fixed.</source>
        <translation>{reason}; 고칠 때까지 마지막으로 유효했던 라우팅 정책이 계속 적용됩니다.</translation>
    </message>
    <message>
        <source>{reason}; the last valid settings stay in force until it is fixed.</source>
        <translation>{reason}; 고칠 때까지 마지막으로 유효했던 설정이 계속 적용됩니다.</translation>
    </message>
    <message>
        <source>{reason}; the shipped label sets are used until the file is fixed.</source>
        <translation>{reason}; 파일을 고칠 때까지 기본 제공 레이블 세트를 사용합니다.</translation>
    </message>
    <message>
        <source>the model store</source>
        <translation>모델 저장소</translation>
    </message>
    <message>
        <source>model must be auto, local://NAME or cloud://PROVIDER/MODEL, not {text}.</source>
        <translation>model은 {text}이(가) 아니라 auto, local://NAME, cloud://PROVIDER/MODEL 중 하나여야 합니다.</translation>
    </message>
    <message>
        <source>no encoder reads this script</source>
        <translation>이 문자를 읽는 인코더가 없음</translation>
    </message>
    <message>
        <source>the registry</source>
        <translation>레지스트리</translation>
    </message>
    <message>
        <source>the reply</source>
        <translation>답변</translation>
    </message>
    <message>
        <source>the reply has no choices</source>
        <translation>답변에 choices 항목이 없음</translation>
    </message>
    <message>
        <source>the reply is larger than 4 MiB</source>
        <translation>답변이 4 MiB보다 큼</translation>
    </message>
    <message>
        <source>the reply is not JSON</source>
        <translation>답변이 JSON이 아님</translation>
    </message>
    <message>
        <source>the server sent bytes from {match_1}, not from {sink_done}</source>
        <translation>서버가 {sink_done}바이트가 아닌 {match_1}바이트 위치부터 데이터를 보냄</translation>
    </message>
    <message>
        <source>the server sent partial content without a valid Content-Range</source>
        <translation>서버가 올바른 Content-Range 없이 부분 콘텐츠를 보냄</translation>
    </message>
    <message>
        <source>the shipped labels.json</source>
        <translation>기본 제공 labels.json</translation>
    </message>
    <message>
        <source>the top level</source>
        <translation>최상위 수준</translation>
    </message>
    <message>
        <source>the url {url} contains spaces or control characters</source>
        <translation>URL {url}에 공백이나 제어 문자가 있음</translation>
    </message>
    <message>
        <source>the usage history</source>
        <translation>사용량 기록</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>시간 초과</translation>
    </message>
    <message>
        <source>to make room for {slot_name}</source>
        <translation>{slot_name}을(를) 로드할 공간을 확보하려고</translation>
    </message>
    <message>
        <source>to split the text files in this folder into chunks and index them on this device for retrieval; nothing is sent anywhere</source>
        <translation>이 폴더의 텍스트 파일을 조각으로 나누어 이 기기에서 검색용으로 색인하기 위해(어디로도 전송되지 않음)</translation>
    </message>
    <message>
        <source>top level</source>
        <translation>최상위 수준</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>잘림</translation>
    </message>
    <message>
        <source>try again later</source>
        <translation>나중에 다시 시도하세요</translation>
    </message>
    <message>
        <source>try again later or give it a longer timeout</source>
        <translation>나중에 다시 시도하거나 제한 시간을 늘리세요</translation>
    </message>
    <message>
        <source>turned off</source>
        <translation>사용 해제</translation>
    </message>
    <message>
        <source>turned on</source>
        <translation>사용 설정</translation>
    </message>
    <message>
        <source>unexpected HTTP {status} from {shown_url_url}</source>
        <translation>{shown_url_url}에서 예상하지 못한 HTTP {status} 응답</translation>
    </message>
    <message>
        <source>unexpected field {extra_0} in a {what}</source>
        <translation>{what}에 예상하지 못한 필드 {extra_0}</translation>
    </message>
    <message>
        <source>unknown source type {kind}; expected &apos;wheel&apos;, &apos;url&apos; or &apos;file&apos;</source>
        <translation>알 수 없는 소스 유형 {kind}(&apos;wheel&apos;, &apos;url&apos;, &apos;file&apos; 중 하나여야 함)</translation>
    </message>
    <message>
        <source>unloaded {join_evicted} and </source>
        <translation>{join_evicted}을(를) 언로드하고 </translation>
    </message>
    <message>
        <source>url source</source>
        <translation>url 소스</translation>
    </message>
    <message>
        <source>wait a minute and try again</source>
        <translation>잠시 기다렸다가 다시 시도하세요</translation>
    </message>
    <message>
        <source>wheel source</source>
        <translation>wheel 소스</translation>
    </message>
    <message>
        <source>words</source>
        <translation>단어</translation>
    </message>
    <message>
        <source>your prompt</source>
        <translation>입력한 프롬프트</translation>
    </message>
    <message>
        <source>The output contains the banned word {words}.</source>
        <translation>출력에 금지어 {words}이(가) 들어 있습니다.</translation>
    </message>
    <message>
        <source>Aurora&apos;s resources must be plain files on disk, but {root} is inside an archive; reinstall Aurora.</source>
        <translation>Aurora의 리소스는 디스크의 일반 파일이어야 하는데 {root}은(는) 압축 파일 안에 있습니다. Aurora를 다시 설치하세요.</translation>
    </message>
    <message>
        <source>The model manifest {path} is nested too deeply.</source>
        <translation>모델 매니페스트 {path}의 중첩이 너무 깊습니다.</translation>
    </message>
    <message>
        <source>The output contains the banned words {words}.</source>
        <translation>출력에 금지어 {words}이(가) 들어 있습니다.</translation>
    </message>
    <message>
        <source>failed {len_failures} checks: {names}</source>
        <translation>검사 {len_failures}개 실패: {names}</translation>
    </message>
    <message>
        <source>failed: {check_name} ({check_detail})</source>
        <translation>실패: {check_name} ({check_detail})</translation>
    </message>
    <message>
        <source>passed 1 check</source>
        <translation>검사 1개 통과</translation>
    </message>
    <message>
        <source>passed {count} checks</source>
        <translation>검사 {count}개 통과</translation>
    </message>
    <message>
        <source>{best} and {ranked_1_0} are within {margin}</source>
        <translation>{best}과(와) {ranked_1_0}의 차이가 {margin} 이내</translation>
    </message>
    <message>
        <source>{config_base_url} is plain http, which would send the API key unencrypted; use its https:// address.</source>
        <translation>{config_base_url}은(는) 암호화되지 않은 http 주소라서 API 키가 암호화되지 않은 채 전송됩니다. https:// 주소를 사용하세요.</translation>
    </message>
    <message>
        <source>{config_name} cannot be used because the OS keyring that holds its API key cannot be read; unlock or install a keyring, or keep the request on this device.</source>
        <translation>API 키를 보관한 OS 키링을 읽을 수 없어 {config_name}을(를) 사용할 수 없습니다. 키링 잠금을 해제하거나 키링을 설치하세요. 또는 요청을 이 기기에서 처리하세요.</translation>
    </message>
    <message>
        <source>{config_name} is cooling down after repeated failures; it will be tried again shortly.</source>
        <translation>{config_name}은(는) 반복된 실패로 잠시 쉬는 중입니다. 곧 다시 시도합니다.</translation>
    </message>
    <message>
        <source>{count} attempts</source>
        <translation>{count}회 시도</translation>
    </message>
    <message>
        <source>{engine_model_name} did not finish within {generation_timeout_s} s and was restarted; try again or choose a smaller answer length.</source>
        <translation>{engine_model_name}이(가) {generation_timeout_s}초 안에 끝나지 않아 다시 시작했습니다. 다시 시도하거나 더 짧은 답변 길이를 선택하세요.</translation>
    </message>
    <message>
        <source>{entry_label} has no source for {file_path}.</source>
        <translation>{entry_label}에 {file_path}의 소스가 없습니다.</translation>
    </message>
    <message>
        <source>{entry_label} is already installed.</source>
        <translation>{entry_label}은(는) 이미 설치되어 있습니다.</translation>
    </message>
    <message>
        <source>{entry_label} is missing its folder {folder}; reinstall it.</source>
        <translation>{entry_label}의 폴더 {folder}이(가) 없습니다. 다시 설치하세요.</translation>
    </message>
    <message>
        <source>{entry_label}: {file_path} does not match its signed sha256 (the bytes were modified or damaged); reinstall the model.</source>
        <translation>{entry_label}: {file_path}이(가) 서명된 sha256과 일치하지 않습니다(파일이 수정되었거나 손상되었습니다). 모델을 다시 설치하세요.</translation>
    </message>
    <message>
        <source>{entry_label}: {file_path} is missing; reinstall the model.</source>
        <translation>{entry_label}: {file_path}이(가) 없습니다. 모델을 다시 설치하세요.</translation>
    </message>
    <message>
        <source>{entry_label}: {file_path} was {change} ({size} bytes, signed size {file_size}); reinstall the model.</source>
        <translation>{entry_label}: {file_path}의 크기가 서명과 다릅니다({change}: {size}바이트, 서명된 크기 {file_size}바이트). 모델을 다시 설치하세요.</translation>
    </message>
    <message>
        <source>{entry_label}: {present_name} in {folder} is not part of the signed model; remove it or reinstall the model.</source>
        <translation>{entry_label}: {folder}에 있는 {present_name}은(는) 서명된 모델에 포함되지 않습니다. 이 파일을 제거하거나 모델을 다시 설치하세요.</translation>
    </message>
    <message>
        <source>{file_path} in {wheel_name} is {info_file_size} bytes, expected {file_size}; the download is not the published model.</source>
        <translation>{wheel_name}의 {file_path}은(는) {info_file_size}바이트이지만 {file_size}바이트여야 합니다. 다운로드한 파일은 게시된 모델이 아닙니다.</translation>
    </message>
    <message>
        <source>{first_package} {first_version} (wheel)</source>
        <translation>{first_package} {first_version} (wheel)</translation>
    </message>
    <message>
        <source>{first_package} {first_version} and {len_source_parts_1} more (wheels)</source>
        <translation>{first_package} {first_version} 외 {len_source_parts_1}개 (wheel)</translation>
    </message>
    <message>
        <source>{info_filename} is {info_file_size} bytes, too large for an archive holding {sink_name}; it was not unpacked, so check where the model comes from.</source>
        <translation>{info_filename}은(는) {info_file_size}바이트로, {sink_name}을(를) 담은 압축 파일로 보기에는 너무 큽니다. 압축을 풀지 않았으니 모델의 출처를 확인하세요.</translation>
    </message>
    <message>
        <source>{installed_name} {installed_version} holds the signed entry of {installed_entry_label}; the manifest was edited. Reinstall the model.</source>
        <translation>{installed_name} {installed_version}에 {installed_entry_label}의 서명된 항목이 들어 있습니다. 매니페스트가 수정되었으니 모델을 다시 설치하세요.</translation>
    </message>
    <message>
        <source>{label} carries no ed25519 signature, so it cannot be trusted.</source>
        <translation>{label}에는 ed25519 서명이 없어 신뢰할 수 없습니다.</translation>
    </message>
    <message>
        <source>{label} does not match its signature: a field was changed after signing or the signature belongs to another entry. Do not use this model.</source>
        <translation>{label}이(가) 서명과 일치하지 않습니다. 서명한 뒤 필드가 변경되었거나 서명이 다른 항목의 것입니다. 이 모델을 사용하지 마세요.</translation>
    </message>
    <message>
        <source>{label} expired on {when}; fetch a current version of the model.</source>
        <translation>{label}은(는) {when}에 만료되었습니다. 모델의 최신 버전을 받으세요.</translation>
    </message>
    <message>
        <source>{label} has an unreadable expiry date {value}.</source>
        <translation>{label}의 만료 날짜 {value}을(를) 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>{label} is signed by key {key_id}, which is not a trusted key; add the publisher&apos;s key with &apos;aurora models trust add&apos; if you trust it.</source>
        <translation>{label}은(는) 신뢰하지 않는 키 {key_id}(으)로 서명되었습니다. 게시자를 신뢰한다면 &apos;aurora models trust add&apos;로 게시자의 키를 추가하세요.</translation>
    </message>
    <message>
        <source>{last_why} Answered in {shown}.</source>
        <translation>{last_why} {shown}(으)로 답변했습니다.</translation>
    </message>
    <message>
        <source>{len_steps} planned steps</source>
        <translation>계획된 단계 {len_steps}개</translation>
    </message>
    <message>
        <source>{model_dir} holds no ONNX GenAI model (genai_config.json is missing); reinstall the model or choose another one.</source>
        <translation>{model_dir}에 ONNX GenAI 모델이 없습니다(genai_config.json이 없음). 모델을 다시 설치하거나 다른 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>{model_name} failed while generating ({join_str_exc_split}); retry, or reload the model.</source>
        <translation>{model_name}이(가) 생성 중에 실패했습니다({join_str_exc_split}). 다시 시도하거나 모델을 다시 로드하세요.</translation>
    </message>
    <message>
        <source>{model_name} is cooling down after repeated failures.</source>
        <translation>{model_name}은(는) 반복된 실패로 잠시 쉬는 중입니다.</translation>
    </message>
    <message>
        <source>{name} cannot be read ({exc}).</source>
        <translation>{name}을(를) 읽을 수 없습니다({exc}).</translation>
    </message>
    <message>
        <source>{name} could not be loaded, even on a second try ({cause_clause}); {advice}.</source>
        <translation>두 번째 시도에서도 {name}을(를) 로드하지 못했습니다({cause_clause}). {advice}.</translation>
    </message>
    <message>
        <source>{name} could not be loaded, even on a second try: {cause_clause}.</source>
        <translation>두 번째 시도에서도 {name}을(를) 로드하지 못했습니다: {cause_clause}.</translation>
    </message>
    <message>
        <source>{name} failed its integrity check (sha256 {actual_16}…, expected {sha256_16}…); it was not installed.</source>
        <translation>{name}이(가) 무결성 검사에 실패했습니다(sha256 {actual_16}…, 예상값 {sha256_16}…). 설치하지 않았습니다.</translation>
    </message>
    <message>
        <source>{name} failed to load ({failures_cause_text_cause}).</source>
        <translation>{name}을(를) 로드하지 못했습니다({failures_cause_text_cause}).</translation>
    </message>
    <message>
        <source>{name} failed while answering ({failures_cause_text_exc}); Aurora unloaded it and will load it afresh for the next request.</source>
        <translation>{name}이(가) 답변 중에 실패했습니다({failures_cause_text_exc}). Aurora가 모델을 언로드했으며 다음 요청 때 새로 로드합니다.</translation>
    </message>
    <message>
        <source>{name} has no chat endpoint or model {config_model} at {url} ({detail}); check the base URL and the model name.</source>
        <translation>{url}의 {name}에 채팅 엔드포인트나 모델 {config_model}이(가) 없습니다({detail}). 기본 URL과 모델 이름을 확인하세요.</translation>
    </message>
    <message>
        <source>{name} has the wrong type ({type_value___name}).</source>
        <translation>{name}의 유형이 잘못되었습니다({type_value___name}).</translation>
    </message>
    <message>
        <source>{name} is a link, not a file Aurora wrote; remove the link and retry.</source>
        <translation>{name}은(는) Aurora가 작성한 파일이 아니라 링크입니다. 링크를 제거하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>{name} is larger than {limit} bytes; it is not a file Aurora wrote.</source>
        <translation>{name}이(가) {limit}바이트보다 큽니다. Aurora가 작성한 파일이 아닙니다.</translation>
    </message>
    <message>
        <source>{name} is not a regular file; remove it and retry.</source>
        <translation>{name}은(는) 일반 파일이 아닙니다. 제거하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>{name} is not a usable model name; use lowercase letters, digits, &apos;.&apos;, &apos;-&apos; or &apos;_&apos;.</source>
        <translation>{name}은(는) 사용할 수 있는 모델 이름이 아닙니다. 영문 소문자, 숫자, &apos;.&apos;, &apos;-&apos;, &apos;_&apos;만 사용하세요.</translation>
    </message>
    <message>
        <source>{name} is resting after {breaker_failures} failed requests in a row; Aurora will try it again in {wait} s.</source>
        <translation>{name}은(는) 요청이 {breaker_failures}번 연속 실패해 쉬는 중입니다. Aurora가 {wait}초 후에 다시 시도합니다.</translation>
    </message>
    <message>
        <source>{name} must be a JSON list of {{word, action}} objects.</source>
        <translation>{name}은(는) {{word, action}} 객체의 JSON 목록이어야 합니다.</translation>
    </message>
    <message>
        <source>{name} ran out of memory while loading, and Aurora {freed}tried again without success; close other programs or choose a smaller model.</source>
        <translation>{name}을(를) 로드하는 중 메모리가 부족했습니다. Aurora가 {freed}다시 시도했지만 실패했습니다. 다른 프로그램을 닫거나 더 작은 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>{name} ran out of memory while loading, so Aurora {freed}loaded it on a second try; close other programs to keep it from happening again.</source>
        <translation>{name}을(를) 로드하는 중 메모리가 부족해 Aurora가 {freed}두 번째 시도에서 로드했습니다. 같은 일이 반복되지 않게 하려면 다른 프로그램을 닫으세요.</translation>
    </message>
    <message>
        <source>{name} refused the API key ({detail}); store the right key with &apos;aurora providers add {name} … --key-stdin&apos;.</source>
        <translation>{name}이(가) API 키를 거부했습니다({detail}). &apos;aurora providers add {name} … --key-stdin&apos;으로 올바른 키를 저장하세요.</translation>
    </message>
    <message>
        <source>{name} rejected the request ({detail}); check the model and the request settings.</source>
        <translation>{name}이(가) 요청을 거부했습니다({detail}). 모델과 요청 설정을 확인하세요.</translation>
    </message>
    <message>
        <source>{name} reported an error ({said}); check the request.</source>
        <translation>{name}이(가) 오류를 보고했습니다({said}). 요청을 확인하세요.</translation>
    </message>
    <message>
        <source>{name} sent a reply Aurora cannot read ({detail}); check that its base URL points to an OpenAI-compatible API.</source>
        <translation>{name}이(가) Aurora가 읽을 수 없는 답변을 보냈습니다({detail}). 기본 URL이 OpenAI 호환 API를 가리키는지 확인하세요.</translation>
    </message>
    <message>
        <source>{name} stopped mid-answer because the connection was interrupted (the stream ended early); the reply is incomplete, so ask again.</source>
        <translation>연결이 끊겨(스트림이 일찍 끝남) {name}이(가) 답변 도중 멈췄습니다. 답변이 완전하지 않으니 다시 물어보세요.</translation>
    </message>
    <message>
        <source>{name} stopped mid-answer because the connection was interrupted ({why_exc}); the reply is incomplete, so ask again.</source>
        <translation>연결이 끊겨({why_exc}) {name}이(가) 답변 도중 멈췄습니다. 답변이 완전하지 않으니 다시 물어보세요.</translation>
    </message>
    <message>
        <source>{name} stopped mid-answer with an error ({said}); ask again.</source>
        <translation>{name}이(가) 오류로 답변 도중 멈췄습니다({said}). 다시 물어보세요.</translation>
    </message>
    <message>
        <source>{name} was unloaded after a failure.</source>
        <translation>실패가 발생해 {name}을(를) 언로드했습니다.</translation>
    </message>
    <message>
        <source>{name} was unloaded because Aurora is closing.</source>
        <translation>Aurora가 종료되므로 {name}을(를) 언로드했습니다.</translation>
    </message>
    <message>
        <source>{name} {version} is not installed; installed versions: {have}.</source>
        <translation>{name} {version}은(는) 설치되어 있지 않습니다. 설치된 버전: {have}.</translation>
    </message>
    <message>
        <source>{name} {what} ({attempts} attempts); {advice}.</source>
        <translation>{name}: {what} ({attempts}회 시도). {advice}.</translation>
    </message>
    <message>
        <source>{name} {what} ({cause}); {advice}.</source>
        <translation>{name}: {what} ({cause}). {advice}.</translation>
    </message>
    <message>
        <source>{name} {what} ({cause}; {attempts} attempts); {advice}.</source>
        <translation>{name}: {what} ({cause}, {attempts}회 시도). {advice}.</translation>
    </message>
    <message>
        <source>{name} {what}; {advice}.</source>
        <translation>{name}: {what}. {advice}.</translation>
    </message>
    <message>
        <source>{name}: action must be block or mask, not {action}.</source>
        <translation>{name}: action은 {action}이(가) 아니라 block 또는 mask여야 합니다.</translation>
    </message>
    <message>
        <source>{name}: every entry needs a non-empty word.</source>
        <translation>{name}: 모든 항목에 비어 있지 않은 word가 있어야 합니다.</translation>
    </message>
    <message>
        <source>{new} is already the active version.</source>
        <translation>{new}은(는) 이미 활성 버전입니다.</translation>
    </message>
    <message>
        <source>{new} is newer than {active} and is now active.</source>
        <translation>{new}은(는) {active}보다 새 버전이므로 이제 활성화되었습니다.</translation>
    </message>
    <message>
        <source>{new} is now active (no other version was active).</source>
        <translation>이제 {new}이(가) 활성 버전입니다(활성화된 다른 버전이 없었습니다).</translation>
    </message>
    <message>
        <source>{new} is older than {newest}, which Aurora has already seen; it was installed but not activated. Use &apos;aurora models switch {name} --version {new}&apos; to roll back.</source>
        <translation>{new}은(는) Aurora가 이미 확인한 {newest}보다 오래된 버전이므로 설치만 하고 활성화하지 않았습니다. 롤백하려면 &apos;aurora models switch {name} --version {new}&apos;를 사용하세요.</translation>
    </message>
    <message>
        <source>{number} {attempt_describe}: stopped</source>
        <translation>{number} {attempt_describe}: 중지됨</translation>
    </message>
    <message>
        <source>{number} {attempt_describe}: {exc}</source>
        <translation>{number} {attempt_describe}: {exc}</translation>
    </message>
    <message>
        <source>{path_name} carries no sentencepiece model; reinstall it.</source>
        <translation>{path_name}에 sentencepiece 모델이 들어 있지 않습니다. 다시 설치하세요.</translation>
    </message>
    <message>
        <source>{path_name} could not be prepared for ONNX Runtime ({exc}); reinstall it.</source>
        <translation>{path_name}을(를) ONNX Runtime용으로 준비하지 못했습니다({exc}). 다시 설치하세요.</translation>
    </message>
    <message>
        <source>{path_name} has no sentencepiece tokenizer at its start; choose another embedding model.</source>
        <translation>{path_name}의 시작 부분에 sentencepiece 토크나이저가 없습니다. 다른 임베딩 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>{path_name} is not a readable ONNX file ({type_exc___name}); reinstall the model.</source>
        <translation>{path_name}은(는) 읽을 수 있는 ONNX 파일이 아닙니다({type_exc___name}). 모델을 다시 설치하세요.</translation>
    </message>
    <message>
        <source>{path} (model {index_1})</source>
        <translation>{path} (모델 {index_1})</translation>
    </message>
    <message>
        <source>{path} cannot be read ({exc}); fix or delete it.</source>
        <translation>{path}을(를) 읽을 수 없습니다({exc}). 고치거나 삭제하세요.</translation>
    </message>
    <message>
        <source>{path} has examples for {label}, which is not a label of the set.</source>
        <translation>{path}에 {label}의 예시가 있지만 {label}은(는) 이 세트의 레이블이 아닙니다.</translation>
    </message>
    <message>
        <source>{path} has no &apos;sha256&apos; (or &apos;sha256_16&apos;) map of file names to digests.</source>
        <translation>{path}에 파일 이름과 다이제스트를 잇는 &apos;sha256&apos;(또는 &apos;sha256_16&apos;) 맵이 없습니다.</translation>
    </message>
    <message>
        <source>{path} has no lines; a PII file needs at least one.</source>
        <translation>{path}에 줄이 없습니다. PII 파일에는 한 줄 이상이 필요합니다.</translation>
    </message>
    <message>
        <source>{path} has no lines; a question file needs at least one.</source>
        <translation>{path}에 줄이 없습니다. 질문 파일에는 한 줄 이상이 필요합니다.</translation>
    </message>
    <message>
        <source>{path} line {number} {problem}.</source>
        <translation>{path} {number}번째 줄: {problem}.</translation>
    </message>
    <message>
        <source>{path} has no lines; an intent file needs at least one.</source>
        <translation>{path}에 줄이 없습니다. 의도 파일에는 한 줄 이상이 필요합니다.</translation>
    </message>
    <message>
        <source>{path} is not UTF-8 text (bad byte at offset {exc_start}).</source>
        <translation>{path}은(는) UTF-8 텍스트가 아닙니다(오프셋 {exc_start}에 잘못된 바이트).</translation>
    </message>
    <message>
        <source>{path} is not a file that can be imported.</source>
        <translation>{path}은(는) 가져올 수 있는 파일이 아닙니다.</translation>
    </message>
    <message>
        <source>{path} is not a regular file; move it away and retry.</source>
        <translation>{path}은(는) 일반 파일이 아닙니다. 다른 곳으로 옮기고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>{path} is a link, not the file Aurora writes; remove the link and retry.</source>
        <translation>{path}은(는) Aurora가 쓰는 파일이 아니라 링크입니다. 링크를 지우고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Aurora cannot write to {path} ({reason}); check that file and retry.</source>
        <translation>Aurora가 {path}에 쓸 수 없습니다({reason}). 그 파일을 확인하고 다시 시도하세요.</translation>
    </message>
    <message>
        <source>{path} is not a valid ed25519 public key ({exc}).</source>
        <translation>{path}은(는) 올바른 ed25519 공개 키가 아닙니다({exc}).</translation>
    </message>
    <message>
        <source>{path} is not an Aurora public key ({KEY_FORMAT}).</source>
        <translation>{path}은(는) Aurora 공개 키가 아닙니다({KEY_FORMAT}).</translation>
    </message>
    <message>
        <source>{path} must be a JSON list of key ids.</source>
        <translation>{path}은(는) 키 ID의 JSON 목록이어야 합니다.</translation>
    </message>
    <message>
        <source>{path} must be a JSON object of label names to lists of examples.</source>
        <translation>{path}은(는) 레이블 이름을 예시 목록에 잇는 JSON 객체여야 합니다.</translation>
    </message>
    <message>
        <source>{path} must hold a non-empty JSON list of cases.</source>
        <translation>{path}에는 비어 있지 않은 사례의 JSON 목록이 있어야 합니다.</translation>
    </message>
    <message>
        <source>{path} names a provider twice, so no cloud provider can be used; fix it or delete it and add the providers again.</source>
        <translation>{path}에 같은 공급자가 두 번 있어 클라우드 공급자를 사용할 수 없습니다. 파일을 고치거나, 삭제한 뒤 공급자를 다시 추가하세요.</translation>
    </message>
    <message>
        <source>{path} names key {data_get_key_id} but holds key {key_id}.</source>
        <translation>{path}에 적힌 키는 {data_get_key_id}이지만 실제로 들어 있는 키는 {key_id}입니다.</translation>
    </message>
    <message>
        <source>{path}: case {item} needs a task in {TASKS} and a prompt.</source>
        <translation>{path}: 사례 {item}에는 {TASKS} 중 하나인 task와 prompt가 필요합니다.</translation>
    </message>
    <message>
        <source>{path}: the examples of {label} must be a list of texts.</source>
        <translation>{path}: {label}의 예시는 텍스트 목록이어야 합니다.</translation>
    </message>
    <message>
        <source>{response_model} answered {response_text_strip_40}, which is none of the labels.</source>
        <translation>{response_model}의 답변 {response_text_strip_40}은(는) 어느 레이블에도 해당하지 않습니다.</translation>
    </message>
    <message>
        <source>{root} is not a folder; give the folder of documents to ingest.</source>
        <translation>{root}은(는) 폴더가 아닙니다. 가져올 문서가 있는 폴더를 지정하세요.</translation>
    </message>
    <message>
        <source>{share} of its words come from the source text.</source>
        <translation>단어의 {share}이(가) 원문에서 나왔습니다.</translation>
    </message>
    <message>
        <source>{shown_url_req_full_url} redirects to {shown_url_newurl}, which is not http(s); check the model&apos;s source address.</source>
        <translation>{shown_url_req_full_url}이(가) http(s)가 아닌 {shown_url_newurl}(으)로 리디렉션됩니다. 모델의 소스 주소를 확인하세요.</translation>
    </message>
    <message>
        <source>{shown} is not a consent scope Aurora asks for; {hint}</source>
        <translation>{shown}은(는) Aurora가 요청하는 동의 범위가 아닙니다. {hint}</translation>
    </message>
    <message>
        <source>{slot_name} failed to unload ({cause}); it was closed.</source>
        <translation>{slot_name}을(를) 언로드하지 못해({cause}) 닫았습니다.</translation>
    </message>
    <message>
        <source>{slot_name} is loaded.</source>
        <translation>{slot_name}을(를) 로드했습니다.</translation>
    </message>
    <message>
        <source>{slot_name} was unloaded.</source>
        <translation>{slot_name}을(를) 언로드했습니다.</translation>
    </message>
    <message>
        <source>{source} are not valid at {where} ({error}).</source>
        <translation>{source}이(가) {where}에서 올바르지 않습니다({error}).</translation>
    </message>
    <message>
        <source>{source} are not valid at {where} ({error}); fix or reset them.</source>
        <translation>{source}이(가) {where}에서 올바르지 않습니다({error}). 고치거나 초기화하세요.</translation>
    </message>
    <message>
        <source>{source} is not a valid label file ({where}: {error}).</source>
        <translation>{source}은(는) 올바른 레이블 파일이 아닙니다({where}: {error}).</translation>
    </message>
    <message>
        <source>{source} is not a valid routing policy ({problem}).</source>
        <translation>{source}은(는) 올바른 라우팅 정책이 아닙니다({problem}).</translation>
    </message>
    <message>
        <source>{source}: the task set may only use task names ({join_TASKS}), not {unknown_0}.</source>
        <translation>{source}: 작업 세트에는 작업 이름({join_TASKS})만 사용할 수 있으며 {unknown_0}은(는) 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>{target_entry_label} is {state}; switch {name} to another version first.</source>
        <translation>{target_entry_label}은(는) {state} 상태입니다. 먼저 {name}을(를) 다른 버전으로 전환하세요.</translation>
    </message>
    <message>
        <source>{target} does not match its sha256 in {path} ({actual_16} is not {expected_16}); restore the file or update the manifest.</source>
        <translation>{target}이(가) {path}의 sha256과 일치하지 않습니다({actual_16}은(는) {expected_16}이(가) 아님). 파일을 복원하거나 매니페스트를 갱신하세요.</translation>
    </message>
    <message>
        <source>{target} is listed in {path} but missing.</source>
        <translation>{target}은(는) {path}에 나와 있지만 없습니다.</translation>
    </message>
    <message>
        <source>{target}: {exc}</source>
        <translation>{target}: {exc}</translation>
    </message>
    <message>
        <source>{tried_why} Stopped before it finished; not checked.</source>
        <translation>{tried_why} 끝나기 전에 중지되어 검사하지 않았습니다.</translation>
    </message>
    <message>
        <source>Stopped before it finished; not checked.</source>
        <translation>끝나기 전에 중지되어 검사하지 않았습니다.</translation>
    </message>
    <message>
        <source>{tried_why} Unverified: {verdict_summary} (best effort after {len_lines} tries).</source>
        <translation>{tried_why} 검증되지 않음: {verdict_summary} ({len_lines}번 시도한 뒤의 최선의 답).</translation>
    </message>
    <message>
        <source>{version} is not a version number like 1.0.0.</source>
        <translation>{version}은(는) 1.0.0 같은 버전 번호가 아닙니다.</translation>
    </message>
    <message>
        <source>{what} holds a character that is not valid Unicode (at position {exc_start}).</source>
        <translation>{what}에 올바른 유니코드가 아닌 문자가 있습니다(위치 {exc_start}).</translation>
    </message>
    <message>
        <source>{what} nests deeper than {MAX_DEPTH} levels.</source>
        <translation>{what}의 중첩이 {MAX_DEPTH}단계보다 깊습니다.</translation>
    </message>
    <message>
        <source>{what} was cancelled.</source>
        <translation>{what} 작업을 취소했습니다.</translation>
    </message>
    <message>
        <source>{wheel_name} has no member {where_or_member}; it was removed from the cache, so try again, and if this repeats the catalog entry is wrong.</source>
        <translation>{wheel_name}에 {where_or_member} 항목이 없습니다. 캐시에서 제거했으니 다시 시도하세요. 같은 일이 반복되면 카탈로그 항목이 잘못된 것입니다.</translation>
    </message>
    <message>
        <source>{wheel_name} is damaged ({member} cannot be read: {exc}); it was removed from the cache, so try again.</source>
        <translation>{wheel_name}이(가) 손상되었습니다({member}을(를) 읽을 수 없음: {exc}). 캐시에서 제거했으니 다시 시도하세요.</translation>
    </message>
    <message>
        <source>{where}: the source of {item_path} is invalid ({exc}).</source>
        <translation>{where}: {item_path}의 소스가 올바르지 않습니다({exc}).</translation>
    </message>
    <message>
        <source>{where}: {at} is invalid ({error}).</source>
        <translation>{where}: {at} 항목이 올바르지 않습니다({error}).</translation>
    </message>
    <message>
        <source>{where}: {error}</source>
        <translation>{where}: {error}</translation>
    </message>
    <message>
        <source>{where}: {label} has a hash that is not its first file&apos;s sha256.</source>
        <translation>{where}: {label}의 해시가 첫 번째 파일의 sha256과 다릅니다.</translation>
    </message>
    <message>
        <source>{where}: {label} has a size that is not the sum of its files.</source>
        <translation>{where}: {label}의 크기가 파일 크기의 합과 다릅니다.</translation>
    </message>
    <message>
        <source>{where}: {label} lists the same file twice.</source>
        <translation>{where}: {label}에 같은 파일이 두 번 나열되어 있습니다.</translation>
    </message>
    <message>
        <source>the API server did not start within {timeout} seconds</source>
        <translation>API 서버가 {timeout}초 안에 시작되지 않았습니다</translation>
    </message>
    <message>
        <source>The API could not start: {reason}; see Aurora&apos;s log.</source>
        <translation>API를 시작하지 못했습니다: {reason}. Aurora의 로그를 확인하세요.</translation>
    </message>
    <message>
        <source>Port {port} on {bind} is already in use by another program; choose another port for the API in Aurora&apos;s settings (or &apos;aurora serve --port N&apos;).</source>
        <translation>{bind}의 포트 {port}을(를) 다른 프로그램이 이미 쓰고 있습니다. Aurora 설정에서 API 포트를 바꾸세요(또는 &apos;aurora serve --port N&apos;).</translation>
    </message>
    <message>
        <source>The API cannot listen on {bind}:{port} ({exc_strerror_or_exc}); check the address and port in Aurora&apos;s settings.</source>
        <translation>API가 {bind}:{port}에서 수신할 수 없습니다({exc_strerror_or_exc}). Aurora 설정의 주소와 포트를 확인하세요.</translation>
    </message>
    <message>
        <source>The {model_name} model process has stopped; the next request restarts it.</source>
        <translation>{model_name} 모델 프로세스가 멈췄습니다. 다음 요청 때 다시 시작합니다.</translation>
    </message>
    <message>
        <source>The model process sent an unexpected message ({kind}).</source>
        <translation>모델 프로세스가 예상하지 못한 메시지({kind})를 보냈습니다.</translation>
    </message>
    <message>
        <source>{model_name} did not load within {seconds} s; try again, or choose a smaller model.</source>
        <translation>{model_name}이(가) {seconds}초 안에 로드되지 않았습니다. 다시 시도하거나 더 작은 모델을 선택하세요.</translation>
    </message>
    <message>
        <source>The {model_name} model process ended unexpectedly (exit code {code}); the next request starts it again.</source>
        <translation>{model_name} 모델 프로세스가 예기치 않게 종료되었습니다(종료 코드 {code}). 다음 요청 때 다시 시작합니다.</translation>
    </message>
    <message>
        <source>The model process failed: {exc}; the next request starts it again.</source>
        <translation>모델 프로세스에서 오류가 났습니다: {exc}. 다음 요청 때 다시 시작합니다.</translation>
    </message>
</context>
</TS>
