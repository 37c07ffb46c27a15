# EST (RFC 7030): the strict HTTP/1.1 request parser and the message bodies.
target_sources(provbench_core PRIVATE
    protocol/est/httpparser.h protocol/est/httpparser.cpp
    protocol/est/estcodec.h protocol/est/estcodec.cpp
    protocol/est/estclient.h protocol/est/estclient.cpp
)
