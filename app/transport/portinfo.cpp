#include "app/transport/portinfo.h"

namespace provbench {

QString PortInfo::vidPid() const
{
    if (!vendorId || !productId)
        return QString();
    return QStringLiteral("%1:%2")
        .arg(*vendorId, 4, 16, QLatin1Char('0'))
        .arg(*productId, 4, 16, QLatin1Char('0'));
}

QString bridgeName(quint16 vendorId, quint16 productId)
{
    struct Known
    {
        quint16 vid;
        quint16 pid; // 0: any product of this vendor
        const char *name;
    };
    // Bridges found on ESP32/ESP8266, nRF and STM32 development boards. Exact
    // products first; the vendor-only rows catch the rest of a family.
    static constexpr Known table[] = {
        {0x10c4, 0xea60, "Silicon Labs CP210x"},
        {0x10c4, 0xea70, "Silicon Labs CP2105 (dual)"},
        {0x10c4, 0xea71, "Silicon Labs CP2108 (quad)"},
        {0x1a86, 0x7523, "WCH CH340"},
        {0x1a86, 0x7522, "WCH CH340K"},
        {0x1a86, 0x5523, "WCH CH341"},
        {0x1a86, 0x55d4, "WCH CH9102"},
        {0x1a86, 0x55d3, "WCH CH343"},
        {0x1a86, 0x55d2, "WCH CH342 (dual)"},
        {0x0403, 0x6001, "FTDI FT232R"},
        {0x0403, 0x6010, "FTDI FT2232"},
        {0x0403, 0x6011, "FTDI FT4232"},
        {0x0403, 0x6014, "FTDI FT232H"},
        {0x0403, 0x6015, "FTDI FT-X"},
        {0x067b, 0x2303, "Prolific PL2303"},
        {0x303a, 0x1001, "Espressif ESP32 USB-Serial/JTAG"},
        {0x303a, 0x0002, "Espressif ESP32-S2 USB CDC"},
        {0x303a, 0x1002, "Espressif USB bridge"},
        {0x1366, 0x1015, "SEGGER J-Link CDC (nRF DK)"},
        {0x1366, 0x0105, "SEGGER J-Link CDC (nRF DK)"},
        {0x1915, 0x520f, "Nordic nRF USB CDC"},
        {0x1915, 0x910a, "Nordic Thingy:91 / nRF91 CDC"},
        {0x0483, 0x374b, "ST-LINK/V2-1 VCP"},
        {0x0483, 0x5740, "STM32 USB CDC"},
        {0x2e8a, 0x000a, "Raspberry Pi Pico CDC"},
        {0x239a, 0x0000, "Adafruit board"},
        {0x10c4, 0x0000, "Silicon Labs bridge"},
        {0x1a86, 0x0000, "WCH bridge"},
        {0x0403, 0x0000, "FTDI bridge"},
        {0x303a, 0x0000, "Espressif USB device"},
        {0x1366, 0x0000, "SEGGER J-Link"},
        {0x1915, 0x0000, "Nordic Semiconductor device"},
        {0x0483, 0x0000, "STMicroelectronics device"},
    };
    for (const Known &k : table) {
        if (k.vid == vendorId && k.pid == productId)
            return QLatin1String(k.name);
    }
    for (const Known &k : table) {
        if (k.vid == vendorId && k.pid == 0)
            return QLatin1String(k.name);
    }
    return QString();
}

} // namespace provbench
