#!/usr/bin/env bash
# Builds FerretDB v1.24.2 from the Go module proxy (mongod cannot be downloaded on our build machines)
# and prints the path of the binary. The binary is cached per machine.
#
# Why vendoring: FerretDB embeds build/version/version.txt, which is generated in its own repository and
# absent from the module zip. Go >= 1.24 records FerretDB as the main module even when it is built as a
# tool of a scratch module, so the binary panics at start without that file. We vendor the module and
# write the file before building.
set -euo pipefail
FERRETDB_VERSION="v1.24.2"
CACHE_DIR="${FERRETDB_CACHE_DIR:-$HOME/.cache/waymark/ferretdb-$FERRETDB_VERSION}"
BIN="$CACHE_DIR/ferretdb"
if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null || { echo "The Go toolchain is needed to build FerretDB (apt-get install golang-go)" >&2; exit 1; }
mkdir -p "$CACHE_DIR"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
(
  cd "$SCRATCH"
  go mod init waymark-ferretdb-tool
  go get -tool "github.com/FerretDB/FerretDB/cmd/ferretdb@$FERRETDB_VERSION"
  go mod vendor
  printf '%s' "$FERRETDB_VERSION" > vendor/github.com/FerretDB/FerretDB/build/version/version.txt
  go build -mod=vendor -o "$BIN" github.com/FerretDB/FerretDB/cmd/ferretdb
) >&2
"$BIN" --version >/dev/null
echo "$BIN"
