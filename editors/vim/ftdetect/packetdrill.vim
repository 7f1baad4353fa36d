" Vim filetype detection for packetdrill scripts (netdrill).
" SPDX-License-Identifier: GPL-2.0-only
autocmd BufRead,BufNewFile *.pkt setfiletype packetdrill
