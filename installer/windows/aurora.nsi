; Aurora's per-user Windows installer (NSIS 3.08, Modern UI 2); built by installer/windows/build.py.
;
; makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DVERSION_QUAD=0.1.0.0 -DSRCDIR=<staged tree>
;          -DICON=<aurora.ico> -DOUTFILE=<Aurora-Setup-0.1.0.exe> -DESTIMATED_KB=<n>
;          -DRUN_KEY=<autostart.RUN_KEY> -DRUN_VALUE=<autostart.RUN_VALUE> aurora.nsi
;
; The staged tree holds Aurora.exe (no console), bin\aurora.exe (console) and python\ (the
; embeddable CPython with Aurora and its dependencies in Lib\site-packages). Nothing here needs
; administrator rights; the user's data (%LOCALAPPDATA%\Aurora) is never touched except when
; the uninstaller is told to delete it.
;
; Silent use:  Aurora-Setup-X.exe /S [/AUTOSTART=1|0] [/D=C:\path\to\Aurora]
;              uninstall.exe /S [/DELETEDATA=1]

Unicode true
Target amd64-unicode  ; a 32-bit installer under 64-bit-only Wine exits 0 and installs nothing
SetCompressor /SOLID lzma
SetCompressorDictSize 64
RequestExecutionLevel user
ManifestDPIAware true
ManifestSupportedOS all

!macro REQUIRE name
  !ifndef ${name}
    !error "${name} is not defined: run installer/windows/build.py, which passes it to makensis."
  !endif
!macroend
!insertmacro REQUIRE VERSION
!insertmacro REQUIRE VERSION_QUAD
!insertmacro REQUIRE SRCDIR
!insertmacro REQUIRE ICON
!insertmacro REQUIRE OUTFILE
!insertmacro REQUIRE ESTIMATED_KB
!insertmacro REQUIRE RUN_KEY
!insertmacro REQUIRE RUN_VALUE

!define APP "Aurora"
!define PUBLISHER "The Aurora project"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Aurora"
!define UNINSTALLER "uninstall.exe"
!define DATA_DIR "$LOCALAPPDATA\Aurora"  ; platformdirs.user_data_dir("Aurora", False)

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "Sections.nsh"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Aurora"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${APP} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION_QUAD}"
VIFileVersion "${VERSION_QUAD}"
VIAddVersionKey /LANG=0 "ProductName" "${APP}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP} ${VERSION} Setup"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "Apache License 2.0"

Var PreviousDir  ; InstallLocation of an installed Aurora, "" if none
Var AutostartWas ; 1 when the Run value existed before this run

; --- pages --------------------------------------------------------------------------------
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\Aurora.exe"
!define MUI_FINISHPAGE_RUN_TEXT "$(LaunchAurora)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Korean"

LangString SecApp ${LANG_ENGLISH} "Aurora"
LangString SecApp ${LANG_KOREAN} "Aurora"
LangString SecAppDesc ${LANG_ENGLISH} "The app, its own Python and a Start-menu entry. Models are downloaded on first start."
LangString SecAppDesc ${LANG_KOREAN} "앱, 전용 Python, 시작 메뉴 항목. 모델은 처음 시작할 때 내려받습니다."
LangString SecAutostart ${LANG_ENGLISH} "Start Aurora when I sign in"
LangString SecAutostart ${LANG_KOREAN} "로그인할 때 Aurora 시작"
LangString SecAutostartDesc ${LANG_ENGLISH} "Aurora starts in the tray when you sign in to Windows. You can change this later in Settings."
LangString SecAutostartDesc ${LANG_KOREAN} "Windows에 로그인하면 Aurora가 트레이에서 시작됩니다. 나중에 설정에서 바꿀 수 있습니다."
LangString SecData ${LANG_ENGLISH} "Also delete my models and settings"
LangString SecData ${LANG_KOREAN} "내 모델과 설정도 삭제"
LangString SecDataDesc ${LANG_ENGLISH} "Deletes ${DATA_DIR}: downloaded models, settings, history and documents. Left unticked, they stay for a later install."
LangString SecDataDesc ${LANG_KOREAN} "${DATA_DIR}(내려받은 모델, 설정, 기록, 문서)를 삭제합니다. 선택하지 않으면 다음 설치를 위해 남겨 둡니다."
LangString LaunchAurora ${LANG_ENGLISH} "Start Aurora now"
LangString LaunchAurora ${LANG_KOREAN} "지금 Aurora 시작"
LangString StillRunning ${LANG_ENGLISH} "Aurora is still running and could not be closed. Quit it from its tray menu, then choose Retry."
LangString StillRunning ${LANG_KOREAN} "Aurora가 아직 실행 중이며 닫을 수 없습니다. 트레이 메뉴에서 종료한 뒤 다시 시도를 누르세요."

; --- closing a running Aurora (installer and uninstaller) -----------------------------------
; A running Aurora (or any Python of this install) has python313.dll mapped, and Windows
; refuses to open a mapped image for writing: that is how "still running" is detected for
; exactly this install folder. First `Aurora.exe quit` asks the tray app to quit cleanly
; (it waits until the app has saved and exited); only if files stay in use are processes
; named aurora.exe ended with taskkill.
!macro CLOSE_AURORA un
Function ${un}CloseAurora
  Exch $0  ; the install folder to check
  Push $1
  Push $2
  ${If} ${FileExists} "$0\Aurora.exe"
    DetailPrint "Asking a running Aurora to quit..."
    nsExec::ExecToLog '"$0\Aurora.exe" quit'
    Pop $1
    DetailPrint "aurora quit: exit code $1"
  ${EndIf}
  StrCpy $2 0
  ${Do}
    ${IfNot} ${FileExists} "$0\python\python313.dll"
      ${Break}
    ${EndIf}
    ClearErrors
    FileOpen $1 "$0\python\python313.dll" a
    ${IfNot} ${Errors}
      FileClose $1
      ${Break}
    ${EndIf}
    ${If} $2 == 3
      DetailPrint "Aurora's files are still in use: ending aurora.exe with taskkill."
      nsExec::ExecToLog 'taskkill /F /T /IM aurora.exe'
      Pop $1
    ${ElseIf} $2 >= 15
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(StillRunning)" /SD IDCANCEL IDRETRY +2
        Abort "$(StillRunning)"
      StrCpy $2 0
    ${EndIf}
    Sleep 1000
    IntOp $2 $2 + 1
  ${Loop}
  Pop $2
  Pop $1
  Pop $0
FunctionEnd
!macroend
!insertmacro CLOSE_AURORA ""
!insertmacro CLOSE_AURORA "un."

; The Run value the app itself writes: subprocess.list2cmdline([<install>\Aurora.exe, "app"])
; (aurora_desktop/core/autostart.py), which quotes the path only when it holds a space or tab.
Function RunCommand
  Push $0
  Push $1
  Push $2
  StrCpy $0 "$INSTDIR\Aurora.exe"
  StrCpy $2 0
  ${Do}
    StrCpy $1 $0 1 $2
    ${If} $1 == ""
      ${Break}
    ${EndIf}
    ${If} $1 == " "
    ${OrIf} $1 == "$\t"
      StrCpy $0 '"$0"'
      ${Break}
    ${EndIf}
    IntOp $2 $2 + 1
  ${Loop}
  StrCpy $0 "$0 app"
  Pop $2
  Pop $1
  Exch $0
FunctionEnd

; Removes what an install put into a folder: only Aurora's own files, never the folder's other
; contents (a user may have picked a folder that holds other things).
!macro REMOVE_PROGRAM_FILES dir
  RMDir /r "${dir}\python"
  RMDir /r "${dir}\bin"
  Delete "${dir}\Aurora.exe"
  Delete "${dir}\${UNINSTALLER}"
  RMDir "${dir}"
!macroend

; --- install ------------------------------------------------------------------------------
Section "$(SecApp)" SEC_APP
  SectionIn RO
  SetOutPath "$INSTDIR"

  ${If} $PreviousDir != ""
  ${AndIf} ${FileExists} "$PreviousDir\${UNINSTALLER}"
  ${AndIf} $PreviousDir != $INSTDIR
    DetailPrint "Removing the previous Aurora from $PreviousDir (your data stays)..."
    ExecWait '"$PreviousDir\${UNINSTALLER}" /S _?=$PreviousDir'
    Delete "$PreviousDir\${UNINSTALLER}"
    RMDir "$PreviousDir"
  ${EndIf}
  Push "$INSTDIR"
  Call CloseAurora
  ${If} ${FileExists} "$INSTDIR\python\python313.dll"
    DetailPrint "Replacing the program files of the installed Aurora (your data stays)..."
    RMDir /r "$INSTDIR\python"
    RMDir /r "$INSTDIR\bin"
  ${EndIf}

  SetOutPath "$INSTDIR"
  File /r "${SRCDIR}/*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortcut "$SMPROGRAMS\Aurora.lnk" "$INSTDIR\Aurora.exe" "" "$INSTDIR\Aurora.exe" 0 \
    SW_SHOWNORMAL "" "Local-first LLM assistant in the system tray"

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\Aurora.exe,0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" ${ESTIMATED_KB}
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section /o "$(SecAutostart)" SEC_AUTOSTART
  Call RunCommand
  Pop $0
  WriteRegStr HKCU "${RUN_KEY}" "${RUN_VALUE}" "$0"
  DetailPrint "Aurora will start when you sign in."
SectionEnd

Section "-autostart off"
  ; unticked: no Run value, even one an earlier install or the app wrote
  ${IfNot} ${SectionIsSelected} ${SEC_AUTOSTART}
    DeleteRegValue HKCU "${RUN_KEY}" "${RUN_VALUE}"
  ${EndIf}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_APP} "$(SecAppDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_AUTOSTART} "$(SecAutostartDesc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  ReadRegStr $PreviousDir HKCU "${UNINST_KEY}" "InstallLocation"
  ; Start at login: what the user chose before (the app's setting or an earlier install),
  ; unless /AUTOSTART=1 or /AUTOSTART=0 says otherwise. A first install leaves it off.
  StrCpy $AutostartWas 0
  ClearErrors
  ReadRegStr $0 HKCU "${RUN_KEY}" "${RUN_VALUE}"
  ${IfNot} ${Errors}
    StrCpy $AutostartWas 1
  ${EndIf}
  ${GetParameters} $1
  ClearErrors
  ${GetOptions} $1 "/AUTOSTART=" $2
  ${IfNot} ${Errors}
    StrCpy $AutostartWas $2
  ${EndIf}
  ${If} $AutostartWas == 1
    !insertmacro SelectSection ${SEC_AUTOSTART}
  ${Else}
    !insertmacro UnselectSection ${SEC_AUTOSTART}
  ${EndIf}
FunctionEnd

; --- uninstall ----------------------------------------------------------------------------
Section "-un.Aurora"
  Push "$INSTDIR"
  Call un.CloseAurora
  DeleteRegValue HKCU "${RUN_KEY}" "${RUN_VALUE}"
  Delete "$SMPROGRAMS\Aurora.lnk"
  DeleteRegKey HKCU "${UNINST_KEY}"
  !insertmacro REMOVE_PROGRAM_FILES "$INSTDIR"
SectionEnd

Section /o "un.$(SecData)" SEC_UN_DATA
  DetailPrint "Deleting ${DATA_DIR}..."
  RMDir /r "${DATA_DIR}"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SEC_UN_DATA} "$(SecDataDesc)"
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

Function un.onInit
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DELETEDATA=" $1
  ${IfNot} ${Errors}
  ${AndIf} $1 == 1
    !insertmacro SelectSection ${SEC_UN_DATA}
  ${EndIf}
FunctionEnd
