/* For the checks under wine only, never shipped: Rust's standard library draws its random
 * numbers from ProcessPrng in bcryptprimitives.dll, which every Windows 10 and 11 has and
 * Debian 12's wine 8.0 lacks. This one asks RtlGenRandom (advapi32's SystemFunction036), which
 * wine has. tools/cross-windows.sh builds it beside the .exe it runs under wine. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG part = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, part)) return FALSE;
        data += part;
        length -= part;
    }
    return TRUE;
}
