module github.com/archdiag/archdiag

go 1.26.8
