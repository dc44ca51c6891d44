module cassa.local/earlyenv

go 1.26.8
