# src/local.mk: this folder's part of the top-level Makefile.am.

# --- command line and run configuration (build helper) ---------------------
# src/main.c is the tool's only file outside libnetdrill.a (see Makefile.am).
libnetdrill_a_SOURCES += src/config.c src/config.h src/sut.h
# main.c builds the parts whose modules are in the library: the script
# front end (grammar/parser.y) and the interpreter (src/run.c).
src_netdrill_CPPFLAGS = $(AM_CPPFLAGS) \
	-DHAVE_GRAMMAR=$(if $(filter grammar/parser.y,$(libnetdrill_a_SOURCES)),1,0) \
	-DHAVE_RUN=$(if $(filter src/run.c,$(libnetdrill_a_SOURCES)),1,0)
# --- end of the command-line block; other src/ parts go below ---------------
