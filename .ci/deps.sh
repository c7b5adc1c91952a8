#!/usr/bin/env bash
# Installs the Debian packages Tokentray needs to build and test, only when
# missing. Usage: .ci/deps.sh build|test|run|package|package-check|windows|windows-test|all
set -euo pipefail
build=(gcc pkg-config libgl1-mesa-dev xorg-dev)
test=(dbus dbus-x11 gnome-keyring libsecret-tools xvfb xclip xdotool imagemagick git xfce4-panel xfconf curl zsh fish)
run=(dbus-x11 gnome-keyring)
package=(xz-utils zip unzip)
# make package-check: validators for the installed .deb, and rpm for the .rpm.
package_check=(desktop-file-utils appstream man-db rpm bash-completion)
windows=(gcc-mingw-w64-x86-64)
# make test-windows: Wine 8 (Debian's), an X display, screenshots, the zip.
windows_test=(gcc-mingw-w64-x86-64 wine wine64 xvfb xdotool imagemagick x11-utils unzip curl)
want=()
for group in "$@"; do
  case "$group" in
    build) want+=("${build[@]}") ;;
    test) want+=("${build[@]}" "${test[@]}") ;;
    run) want+=("${build[@]}" "${run[@]}") ;;
    package) want+=("${build[@]}" "${package[@]}") ;;
    package-check) want+=("${package_check[@]}") ;;
    windows) want+=("${windows[@]}") ;;
    windows-test) want+=("${windows_test[@]}") ;;
    all) want+=("${build[@]}" "${test[@]}" "${package[@]}") ;;
    *) echo "deps.sh: unknown group $group" >&2; exit 2 ;;
  esac
done
# kubectl, for the exec credential plugin test: any kubectl on PATH will do
# (e.g. Google Cloud SDK's); otherwise Debian's kubernetes-client.
case " $* " in *" test "* | *" all "*) command -v kubectl >/dev/null || want+=(kubernetes-client) ;; esac
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "deps.sh: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
