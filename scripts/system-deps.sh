#!/bin/sh
# Debian packages the portal needs beyond Python: gettext (translations), Pango (WeasyPrint),
# poppler-utils (PDF checks in tests), Chromium (browser tests), Dovecot (the IMAP server the
# incoming-mail tests start: tests/dovecot.py). Installs only what is missing.
# `system-deps.sh serve`: only what a production server needs (no test tools, no browser).
set -e
missing=""
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
if [ "$1" != "serve" ]; then
  command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium chromium-driver"
  [ -x /usr/sbin/dovecot ] || command -v dovecot >/dev/null 2>&1 || missing="$missing dovecot-imapd"
fi
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
fc-list 2>/dev/null | grep -qi dejavu || missing="$missing fonts-dejavu-core"
[ -z "$missing" ] && exit 0
echo "Installing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
