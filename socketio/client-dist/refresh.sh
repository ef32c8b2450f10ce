#!/bin/sh
# Re-fetches the socket.io-client browser bundle that socketio embeds and
# serves under <path>/socket.io*.js (features.md 1.11). Usage:
#   socketio/client-dist/refresh.sh [version]   (default: latest 4.8.x)
# Writes dist/* (bundles and source maps), LICENSE (MIT, kept beside the
# files) and VERSION (the ETag value) into this directory.
set -eu
VERSION="${1:-4.8}"
DIR="$(cd "$(dirname "$0")" && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm pack --silent "socket.io-client@$VERSION" >/dev/null
tar xzf socket.io-client-*.tgz
RESOLVED="$(node -p 'require("./package/package.json").version')"
for f in socket.io.js socket.io.min.js socket.io.esm.min.js socket.io.msgpack.min.js; do
	cp "package/dist/$f" "package/dist/$f.map" "$DIR/"
done
cp package/LICENSE "$DIR/LICENSE"
printf '%s\n' "$RESOLVED" > "$DIR/VERSION"
echo "socket.io-client $RESOLVED -> $DIR"
