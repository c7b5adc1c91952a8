module github.com/tokentray/tokentray

go 1.26
