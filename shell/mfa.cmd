@echo off
rem awsmfa for Windows cmd.exe: save as mfa.cmd in a folder on PATH:  awsmfa init cmd > "%USERPROFILE%\bin\mfa.cmd"
rem mfa [CODE] [awsmfa env options]: start an MFA session in this window, or take the cached one. The old
rem session is replaced only once the new one is in hand: on failure nothing changes and ERRORLEVEL is awsmfa's.
rem The lines go through a file in your own %TEMP% (private to you), deleted at once: cmd.exe cannot capture
rem a command's output and its exit status together.
set "_AWSMFA_FILE=%TEMP%\awsmfa-%RANDOM%%RANDOM%.cmd"
@AWSMFA@ env --shell cmd %* > "%_AWSMFA_FILE%"
if errorlevel 1 goto awsmfa_failed
for %%F in ("%_AWSMFA_FILE%") do if %%~zF==0 goto awsmfa_done
set AWS_ACCESS_KEY_ID=
set AWS_SECRET_ACCESS_KEY=
set AWS_SESSION_TOKEN=
set AWS_CREDENTIAL_EXPIRATION=
call "%_AWSMFA_FILE%"
:awsmfa_done
del "%_AWSMFA_FILE%"
set _AWSMFA_FILE=
exit /b 0
:awsmfa_failed
set _AWSMFA_STATUS=%ERRORLEVEL%
del "%_AWSMFA_FILE%" 2>nul
set _AWSMFA_FILE=
exit /b %_AWSMFA_STATUS%
