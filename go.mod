module github.com/tokentray/tokentray

go 1.26.0

require (
	github.com/godbus/dbus/v5 v5.2.2
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/zalando/go-keyring v0.2.8
	golang.org/x/term v0.47.0
)

require (
	github.com/danieljoos/wincred v1.2.3 // indirect
	golang.org/x/sys v0.49.0 // indirect
)

require (
	github.com/go-oauth2/oauth2/v4 v4.5.4
	github.com/google/uuid v1.1.1 // indirect
	github.com/tidwall/btree v0.0.0-20191029221954-400434d76274 // indirect
	github.com/tidwall/buntdb v1.1.2 // indirect
	github.com/tidwall/gjson v1.12.1 // indirect
	github.com/tidwall/grect v0.0.0-20161006141115-ba9a043346eb // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.0 // indirect
	github.com/tidwall/rtree v0.0.0-20180113144539-6cd427091e0e // indirect
	github.com/tidwall/tinyqueue v0.0.0-20180302190814-1e39f5511563 // indirect
	golang.org/x/oauth2 v0.37.0
)
