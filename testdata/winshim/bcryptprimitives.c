/*
 * TEST-ONLY shim, never shipped in any package: a stand-in for Windows'
 * bcryptprimitives.dll so Tokentray's Windows build starts under Wine 8.0
 * (Debian's), which lacks that DLL. Since Go 1.22 the runtime loads
 * ProcessPrng from it before main; real Windows 10/11 has it. This shim
 * answers ProcessPrng with RtlGenRandom (advapi32's SystemFunction036),
 * which Wine implements. `make test-windows` (.ci/test-windows) builds it
 * with MinGW and copies it into the throwaway Wine prefix's system32.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE; /* like Windows' ProcessPrng, which never fails */
}
