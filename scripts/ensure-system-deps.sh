#!/usr/bin/env bash
# Make sure the system packages the tests need are there: PostgreSQL, Redis (the job queue), Chromium (+ CJK fonts), the Unicode
# Unihan data (stroke-data check), LibreOffice + poppler (document page checks). Installs with apt-get when
# running as root and something is missing; otherwise says what is missing and lets the tests skip
# (or fail under CI=true).
set -u
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
[ -f /usr/share/unicode/Unihan_IRGSources.txt.bz2 ] || need+=(unicode-data)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdfinfo >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then
  echo "系统依赖已齐备：PostgreSQL、Redis、Chromium、中文字体、Unihan、LibreOffice、poppler"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装系统依赖：${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/election-apt.log 2>&1 \
    || { echo "apt-get 安装失败，见 /tmp/election-apt.log"; tail -20 /tmp/election-apt.log; }
else
  echo "缺少系统依赖：${need[*]}（非 root 或无 apt-get，相关测试将跳过；CI=true 时判为失败）"
fi
exit 0
