@rem Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
@echo off
rem awsmfa for Windows cmd.exe: save as mfa.cmd in a folder on PATH:  awsmfa init cmd > "%USERPROFILE%\bin\mfa.cmd"
rem mfa [CODE] [awsmfa env options]: start an MFA session in this window, or take the cached one. The old
rem session is replaced only once the new one is in hand: on failure nothing changes and ERRORLEVEL is awsmfa's
rem (negative levels, as after Ctrl+C, are failures too).
rem mfa --unset: remove the session variables from this window.
rem The lines go through a file in your own %TEMP% (private to you), deleted at once: cmd.exe cannot capture
rem a command's output and its exit status together. Its own variables live under setlocal and are gone after.
if "%~1"=="--unset" goto awsmfa_unset
setlocal
set "_AWSMFA_FILE=%TEMP%\awsmfa-%RANDOM%%RANDOM%.cmd"
call awsmfa env --mfa-shell cmd %* > "%_AWSMFA_FILE%"
set "_AWSMFA_STATUS=%ERRORLEVEL%"
if not "%_AWSMFA_STATUS%"=="0" (
  del "%_AWSMFA_FILE%" 2>nul
  endlocal & exit /b %_AWSMFA_STATUS%
)
rem Nothing printed (--help): nothing to apply. The size is taken first and tested on a line of its own.
for %%F in ("%_AWSMFA_FILE%") do set "_AWSMFA_SIZE=%%~zF"
if "%_AWSMFA_SIZE%"=="0" (
  del "%_AWSMFA_FILE%"
  endlocal & exit /b 0
)
rem One line: its variables are expanded before endlocal runs, the session is set after it, in this window.
rem >>> contract: variables-endlocal
endlocal & set "AWS_ACCESS_KEY_ID=" & set "AWS_SECRET_ACCESS_KEY=" & set "AWS_SESSION_TOKEN=" & set "AWS_CREDENTIAL_EXPIRATION=" & set "AWS_SESSION_EXPIRATION=" & set "AWSMFA_PROFILE=" & call "%_AWSMFA_FILE%" & del "%_AWSMFA_FILE%"
rem <<< contract: variables-endlocal
exit /b 0
:awsmfa_unset
rem >>> contract: variables
set "AWS_ACCESS_KEY_ID="
set "AWS_SECRET_ACCESS_KEY="
set "AWS_SESSION_TOKEN="
set "AWS_CREDENTIAL_EXPIRATION="
set "AWS_SESSION_EXPIRATION="
set "AWSMFA_PROFILE="
rem <<< contract: variables
rem The region goes only when awsmfa exported it (AWSMFA_REGION notes which; its values are plain).
if defined AWSMFA_REGION if "%AWS_REGION%"=="%AWSMFA_REGION%" set "AWS_REGION="
if defined AWSMFA_REGION if "%AWS_DEFAULT_REGION%"=="%AWSMFA_REGION%" set "AWS_DEFAULT_REGION="
set "AWSMFA_REGION="
exit /b 0
