'''BlueZ 5 mock for ProvBench's Bluetooth LE tests (a python3-dbusmock template).

It loads python3-dbusmock's bluez5 template (agent and profile managers,
adapters, devices) and adds what a Bluetooth LE central sees of real BlueZ:

- adapters that refuse StartDiscovery while powered off, and a way to switch
  power (SetAdapterPowered), as `bluetoothctl power on/off` would;
- LE advertisement data on devices (RSSI, UUIDs, ServiceData,
  ManufacturerData) with correctly typed properties, changed with
  PropertiesChanged so that QtBluetooth reports updates (SetAdvertisement);
- GATT objects laid out as bluetoothd exports them
  (.../dev_XX/serviceNNNN/charNNNN/descNNNN) on Connect, with ServicesResolved
  set after them; GattCharacteristic1 ReadValue/WriteValue/StartNotify/
  StopNotify with Flags, UUID, Service, Value, Notifying and MTU (BlueZ 5.62);
  GattDescriptor1 for every CCCD (0x2902), which refuses a direct WriteValue
  like bluetoothd does (clients use StartNotify); notifications as
  PropertiesChanged on Value; and, as bluetoothd does, a Value
  PropertiesChanged after every successful ReadValue;
- two peripherals: an Improv Wi-Fi device (AddImprovDevice) and an MCUmgr SMP
  device (AddSmpDevice);
- fault injection: refuse connections (SetConnectable), hold GATT replies
  (SetGattStalled) and drop a connection from the peripheral's side
  (DropConnection), which fails held requests with org.bluez.Error.Failed
  after (or, on request, before) Connected turned false.

Mock API, on org.bluez.Mock at /, besides bluez5's own methods:

  AddAdapter(s name, s alias) -> o            (bluez5's, plus power handling)
  SetAdapterPowered(s name, b powered)
  AddLEDevice(s adapter, s address, s name, a{sv} advert) -> o
  SetAdvertisement(s address, a{sv} advert)   keys: RSSI (n), UUIDs (as),
      ServiceData (a{sv}: uuid -> ay), ManufacturerData (a{sv}: decimal id -> ay),
      Name (s); one PropertiesChanged with exactly the given keys
  AddImprovDevice(s adapter, s address, s name, a{sv} options) -> o
      options: require_authorization (b, default true), capabilities (y, default 1),
      mtu (q, default 23), ssid (s), password (s), url (s), rssi (n),
      provision_delay_ms (u, default 150)
  PressButton(s address)                      authorization required -> authorized
  SetWifiNetwork(s address, s ssid, s password)
  AddSmpDevice(s adapter, s address, s name, a{sv} options) -> o
      options: mtu (q, default 23), rssi (n)
  SetConnectable(s address, b connectable)
  SetGattStalled(s address, b stalled)
  DropConnection(s address, b requests_first)
  Notify(s address, s characteristic_uuid, ay value)
  GetGattLog(s address) -> a(ssay)            (method, characteristic uuid, bytes)
'''

import struct

import dbus
from gi.repository import GLib

from dbusmock import OBJECT_MANAGER_IFACE, mockobject
from dbusmock.templates import bluez5

BUS_NAME = bluez5.BUS_NAME
MAIN_OBJ = bluez5.MAIN_OBJ
SYSTEM_BUS = True
IS_OBJECT_MANAGER = True

MOCK_IFACE = bluez5.BLUEZ_MOCK_IFACE
ADAPTER_IFACE = bluez5.ADAPTER_IFACE
DEVICE_IFACE = bluez5.DEVICE_IFACE
SERVICE_IFACE = 'org.bluez.GattService1'
CHAR_IFACE = 'org.bluez.GattCharacteristic1'
DESC_IFACE = 'org.bluez.GattDescriptor1'
CCCD_UUID = '00002902-0000-1000-8000-00805f9b34fb'

IMPROV_SERVICE = '00467768-6228-2272-4663-277478268000'
IMPROV_STATE = '00467768-6228-2272-4663-277478268001'
IMPROV_ERROR = '00467768-6228-2272-4663-277478268002'
IMPROV_RPC = '00467768-6228-2272-4663-277478268003'
IMPROV_RESULT = '00467768-6228-2272-4663-277478268004'
IMPROV_CAPABILITIES = '00467768-6228-2272-4663-277478268005'
IMPROV_SERVICE_DATA = '00004677-0000-1000-8000-00805f9b34fb'

SMP_SERVICE = '8d53dc1d-1db7-4cd3-868b-8a527460aa84'
SMP_CHARACTERISTIC = 'da2e7828-fbce-4e01-ae9e-261174997c48'

# The stock bluez5 methods that stay available unchanged.
RemoveAdapter = bluez5.RemoveAdapter
RemoveAdapterWithDevices = bluez5.RemoveAdapterWithDevices
AddDevice = bluez5.AddDevice
PairDevice = bluez5.PairDevice
BlockDevice = bluez5.BlockDevice


def load(mock, parameters):
    bluez5.load(mock, parameters)
    mock.peripherals = {}


def _error(name, message):
    return dbus.exceptions.DBusException(message, name='org.bluez.Error.' + name)


def _bytes(value):
    return dbus.Array([dbus.Byte(b) for b in bytes(value)], signature='y', variant_level=1)


def _emit_changed(obj, interface, changed):
    obj.EmitSignal(dbus.PROPERTIES_IFACE, 'PropertiesChanged', 'sa{sv}as', [
        interface, dbus.Dictionary(changed, signature='sv'), dbus.Array([], signature='s')])


def _root():
    return mockobject.objects['/']


def _adapter_path(name):
    return '/org/bluez/' + name


def _peripheral(address):
    try:
        return _root().peripherals[address.upper()]
    except KeyError:
        raise dbus.exceptions.DBusException(f'No mocked LE device {address}.',
                                            name=MOCK_IFACE + '.NoSuchDevice') from None


# --- adapters -----------------------------------------------------------------

def _start_discovery(adapter):
    props = adapter.props[ADAPTER_IFACE]
    if not props['Powered']:
        raise _error('NotReady', 'Resource Not Ready')
    props['Discovering'] = dbus.Boolean(True, variant_level=1)
    _emit_changed(adapter, ADAPTER_IFACE, {'Discovering': dbus.Boolean(True, variant_level=1)})


def _stop_discovery(adapter):
    props = adapter.props[ADAPTER_IFACE]
    if not props['Discovering']:
        raise _error('Failed', 'No discovery started')
    props['Discovering'] = dbus.Boolean(False, variant_level=1)
    _emit_changed(adapter, ADAPTER_IFACE, {'Discovering': dbus.Boolean(False, variant_level=1)})


def _set_discovery_filter(adapter, discovery_filter):
    if not adapter.props[ADAPTER_IFACE]['Powered']:
        raise _error('NotReady', 'Resource Not Ready')
    adapter.props[ADAPTER_IFACE]['DiscoveryFilter'] = discovery_filter


@dbus.service.method(MOCK_IFACE, in_signature='ss', out_signature='s')
def AddAdapter(self, device_name, system_name):
    '''bluez5's AddAdapter, with discovery that needs power.'''
    path = bluez5.AddAdapter(self, device_name, system_name)
    adapter = mockobject.objects[path]
    adapter.AddMethods(ADAPTER_IFACE, [
        ('StartDiscovery', '', '', _start_discovery),
        ('StopDiscovery', '', '', _stop_discovery),
        ('SetDiscoveryFilter', 'a{sv}', '', _set_discovery_filter),
    ])
    return path


@dbus.service.method(MOCK_IFACE, in_signature='sb', out_signature='')
def SetAdapterPowered(self, device_name, powered):
    '''Switch an adapter on or off; off ends discovery and every connection.'''
    path = _adapter_path(device_name)
    if path not in mockobject.objects:
        raise dbus.exceptions.DBusException(f'Adapter {device_name} does not exist.',
                                            name=MOCK_IFACE + '.NoSuchAdapter')
    adapter = mockobject.objects[path]
    props = adapter.props[ADAPTER_IFACE]
    changed = {'Powered': dbus.Boolean(powered, variant_level=1)}
    props['Powered'] = changed['Powered']
    if not powered:
        for peripheral in list(self.peripherals.values()):
            if peripheral.adapter_path == path and peripheral.connected:
                peripheral.drop()
        if props['Discovering']:
            props['Discovering'] = dbus.Boolean(False, variant_level=1)
            changed['Discovering'] = props['Discovering']
    _emit_changed(adapter, ADAPTER_IFACE, changed)


# --- devices and advertisements -------------------------------------------------------

def _advert_properties(advert):
    '''Device1 properties from the a{sv} the tests pass.'''
    props = {}
    if 'RSSI' in advert:
        props['RSSI'] = dbus.Int16(int(advert['RSSI']), variant_level=1)
    if 'Name' in advert:
        props['Name'] = dbus.String(advert['Name'], variant_level=1)
        props['Alias'] = dbus.String(advert['Name'], variant_level=1)
    if 'UUIDs' in advert:
        props['UUIDs'] = dbus.Array([str(u).lower() for u in advert['UUIDs']], signature='s',
                                    variant_level=1)
    if 'ServiceData' in advert:
        props['ServiceData'] = dbus.Dictionary(
            {str(k).lower(): _bytes(v) for k, v in advert['ServiceData'].items()},
            signature='sv', variant_level=1)
    if 'ManufacturerData' in advert:
        props['ManufacturerData'] = dbus.Dictionary(
            {dbus.UInt16(int(k, 0)): _bytes(v) for k, v in advert['ManufacturerData'].items()},
            signature='qv', variant_level=1)
    return props


class Peripheral:
    '''One LE device: its Device1 object, its GATT database and its behaviour.'''

    def __init__(self, root, adapter_name, address, name, mtu):
        self.root = root
        self.address = address.upper()
        self.adapter_path = _adapter_path(adapter_name)
        self.path = bluez5.AddDevice(root, adapter_name, self.address, name)
        self.device = mockobject.objects[self.path]
        self.mtu = mtu
        self.connected = False
        self.connectable = True
        self.stalled = False
        self.held = []  # (reply, error) of stalled requests
        self.services = []  # (uuid, [(uuid, flags, value)])
        self.values = {}  # characteristic uuid -> bytes
        self.notifying = set()
        self.objects = {}  # characteristic uuid -> DBusMockObject, while connected
        self.gatt_log = []
        props = self.device.props[DEVICE_IFACE]
        # bluez5's AddDevice types these as arrays of dicts; BlueZ uses dicts.
        props['ServiceData'] = dbus.Dictionary({}, signature='sv', variant_level=1)
        props['ManufacturerData'] = dbus.Dictionary({}, signature='qv', variant_level=1)
        props['AddressType'] = dbus.String('random', variant_level=1)
        self.device.AddMethods(DEVICE_IFACE, [
            ('Connect', '', '', lambda device: self.connect()),
            ('Disconnect', '', '', lambda device: self.disconnect()),
        ])
        root.peripherals[self.address] = self

    # advertisement
    def advertise(self, advert):
        changed = _advert_properties(advert)
        self.device.props[DEVICE_IFACE].update(changed)
        if changed:
            _emit_changed(self.device, DEVICE_IFACE, changed)

    # GATT database
    def add_service(self, uuid, characteristics):
        self.services.append((uuid, characteristics))
        for char_uuid, _flags, value in characteristics:
            self.values[char_uuid] = bytes(value)

    def _export_gatt(self):
        manager = _root()
        handle = 0x000a
        for service_uuid, characteristics in self.services:
            service_path = f'{self.path}/service{handle:04x}'
            handle += 1
            manager.AddObject(service_path, SERVICE_IFACE, {
                'UUID': dbus.String(service_uuid, variant_level=1),
                'Device': dbus.ObjectPath(self.path, variant_level=1),
                'Primary': dbus.Boolean(True, variant_level=1),
                'Includes': dbus.Array([], signature='o', variant_level=1),
            }, [])
            manager.object_manager_emit_added(service_path)
            for char_uuid, flags, _value in characteristics:
                char_path = f'{service_path}/char{handle:04x}'
                handle += 2
                props = {
                    'UUID': dbus.String(char_uuid, variant_level=1),
                    'Service': dbus.ObjectPath(service_path, variant_level=1),
                    'Value': _bytes(self.values[char_uuid]),
                    'Notifying': dbus.Boolean(False, variant_level=1),
                    'Flags': dbus.Array(flags, signature='s', variant_level=1),
                    'MTU': dbus.UInt16(self.mtu, variant_level=1),
                }
                manager.AddObject(char_path, CHAR_IFACE, props, [])
                obj = mockobject.objects[char_path]
                obj.peripheral = self
                obj.gatt_uuid = char_uuid
                obj.methods[CHAR_IFACE].update(_characteristic_methods())
                self.objects[char_uuid] = obj
                manager.object_manager_emit_added(char_path)
                if 'notify' in flags or 'indicate' in flags:
                    desc_path = f'{char_path}/desc{handle:04x}'
                    handle += 1
                    manager.AddObject(desc_path, DESC_IFACE, {
                        'UUID': dbus.String(CCCD_UUID, variant_level=1),
                        'Characteristic': dbus.ObjectPath(char_path, variant_level=1),
                        'Value': _bytes(b''),
                    }, [])
                    desc = mockobject.objects[desc_path]
                    desc.peripheral = self
                    desc.gatt_uuid = char_uuid
                    desc.methods[DESC_IFACE].update(_descriptor_methods())
                    manager.object_manager_emit_added(desc_path)

    def _unexport_gatt(self):
        manager = _root()
        prefix = self.path + '/'
        for path in sorted([p for p in mockobject.objects if p.startswith(prefix)], reverse=True):
            interfaces = list(mockobject.objects[path].props.keys())
            manager.RemoveObject(path)
            manager.EmitSignal(OBJECT_MANAGER_IFACE, 'InterfacesRemoved', 'oas',
                               [dbus.ObjectPath(path), dbus.Array(interfaces, signature='s')])
        self.objects = {}
        self.notifying = set()

    def _set_device(self, **values):
        props = self.device.props[DEVICE_IFACE]
        changed = {name: dbus.Boolean(value, variant_level=1) for name, value in values.items()}
        props.update(changed)
        _emit_changed(self.device, DEVICE_IFACE, changed)

    # connection
    def connect(self):
        adapter = mockobject.objects.get(self.adapter_path)
        if adapter is None or not adapter.props[ADAPTER_IFACE]['Powered']:
            raise _error('NotReady', 'Resource Not Ready')
        if self.connected:
            raise _error('AlreadyConnected', 'Already Connected')
        if not self.connectable:
            raise _error('Failed', 'le-connection-abort-by-local')
        self.connected = True
        self.device.connected = True
        self._set_device(Connected=True)
        self._export_gatt()
        GLib.timeout_add(10, self._resolved)

    def _resolved(self):
        if self.connected:
            self._set_device(ServicesResolved=True)
        return False

    def disconnect(self):
        if not self.connected:
            raise _error('NotConnected', 'Not Connected')
        self._end_connection()

    def drop(self, requests_first=False):
        '''The peripheral goes away: out of range, reset or powered off.'''
        if self.connected:
            self._end_connection(requests_first)

    def fail_held(self):
        held, self.held = self.held, []
        for _reply, error in held:
            error(_error('Failed', 'Not connected'))

    def _end_connection(self, requests_first=False):
        if requests_first:
            self.fail_held()
        self.connected = False
        self.device.connected = False
        self._set_device(ServicesResolved=False)
        self._set_device(Connected=False)
        self._unexport_gatt()
        self.on_disconnected()

        def fail_held():
            self.fail_held()
            return False
        GLib.idle_add(fail_held)

    # values and notifications
    def set_value(self, char_uuid, value, notify=True):
        value = bytes(value)
        self.values[char_uuid] = value
        obj = self.objects.get(char_uuid)
        if obj is None:
            return
        obj.props[CHAR_IFACE]['Value'] = _bytes(value)
        if notify and char_uuid in self.notifying:
            _emit_changed(obj, CHAR_IFACE, {'Value': _bytes(value)})

    def notify(self, char_uuid, value):
        self.set_value(char_uuid, value, notify=True)

    # behaviour, overridden by the device classes
    def on_write(self, char_uuid, value):
        pass

    def on_disconnected(self):
        pass


# --- GATT methods -------------------------------------------------------------------

def _characteristic_methods():
    '''ReadValue/WriteValue/StartNotify/StopNotify with asynchronous replies.

    Built in a function so that dbusmock does not also register them on /.'''

    @dbus.service.method(CHAR_IFACE, in_signature='a{sv}', out_signature='ay',
                         async_callbacks=('reply', 'error'))
    def ReadValue(obj, _options, reply, error):
        p = obj.peripheral
        p.gatt_log.append(('ReadValue', obj.gatt_uuid, b''))
        if not p.connected:
            return error(_error('Failed', 'Not connected'))
        if 'read' not in obj.props[CHAR_IFACE]['Flags']:
            return error(_error('NotPermitted', 'Read not permitted'))
        if p.stalled:
            p.held.append((reply, error))
            return None
        value = p.values[obj.gatt_uuid]
        # bluetoothd caches what it read and announces it before replying.
        obj.props[CHAR_IFACE]['Value'] = _bytes(value)
        _emit_changed(obj, CHAR_IFACE, {'Value': _bytes(value)})
        return reply(dbus.Array(value, signature='y'))

    @dbus.service.method(CHAR_IFACE, in_signature='aya{sv}', out_signature='',
                         async_callbacks=('reply', 'error'))
    def WriteValue(obj, value, options, reply, error):
        p = obj.peripheral
        value = bytes(value)
        flags = obj.props[CHAR_IFACE]['Flags']
        kind = str(options.get('type', 'request' if 'write' in flags else 'command'))
        p.gatt_log.append(('WriteValue:' + kind, obj.gatt_uuid, value))
        if not p.connected:
            return error(_error('Failed', 'Not connected'))
        if (kind == 'command' and 'write-without-response' not in flags) or \
                (kind == 'request' and 'write' not in flags):
            return error(_error('NotPermitted', 'Write not permitted'))
        if kind == 'command' and len(value) > p.mtu - 3:
            # bt_gatt_client_write_without_response() refuses it.
            return error(_error('Failed', 'Failed to initiate write'))
        if kind == 'request' and p.stalled:
            p.held.append((reply, error))
            return None
        reply()
        # The peripheral reacts after the write response, as over the air.
        GLib.idle_add(lambda: p.on_write(obj.gatt_uuid, value) and False)
        return None

    @dbus.service.method(CHAR_IFACE, in_signature='', out_signature='',
                         async_callbacks=('reply', 'error'))
    def StartNotify(obj, reply, error):
        p = obj.peripheral
        p.gatt_log.append(('StartNotify', obj.gatt_uuid, b''))
        flags = obj.props[CHAR_IFACE]['Flags']
        if not p.connected:
            return error(_error('Failed', 'Not connected'))
        if 'notify' not in flags and 'indicate' not in flags:
            return error(_error('NotSupported', 'Operation is not supported'))
        if p.stalled:
            p.held.append((reply, error))
            return None
        if obj.gatt_uuid not in p.notifying:
            p.notifying.add(obj.gatt_uuid)
            obj.props[CHAR_IFACE]['Notifying'] = dbus.Boolean(True, variant_level=1)
            _emit_changed(obj, CHAR_IFACE, {'Notifying': dbus.Boolean(True, variant_level=1)})
        return reply()

    @dbus.service.method(CHAR_IFACE, in_signature='', out_signature='',
                         async_callbacks=('reply', 'error'))
    def StopNotify(obj, reply, error):
        p = obj.peripheral
        p.gatt_log.append(('StopNotify', obj.gatt_uuid, b''))
        if obj.gatt_uuid in p.notifying:
            p.notifying.discard(obj.gatt_uuid)
            obj.props[CHAR_IFACE]['Notifying'] = dbus.Boolean(False, variant_level=1)
            _emit_changed(obj, CHAR_IFACE, {'Notifying': dbus.Boolean(False, variant_level=1)})
        return reply()

    return {
        'ReadValue': ('a{sv}', 'ay', '', ReadValue),
        'WriteValue': ('aya{sv}', '', '', WriteValue),
        'StartNotify': ('', '', '', StartNotify),
        'StopNotify': ('', '', '', StopNotify),
    }


def _descriptor_methods():
    @dbus.service.method(DESC_IFACE, in_signature='a{sv}', out_signature='ay')
    def ReadValue(obj, _options):
        p = obj.peripheral
        if not p.connected:
            raise _error('Failed', 'Not connected')
        enabled = obj.gatt_uuid in p.notifying
        return dbus.Array(b'\x01\x00' if enabled else b'\x00\x00', signature='y')

    @dbus.service.method(DESC_IFACE, in_signature='aya{sv}', out_signature='')
    def WriteValue(obj, _value, _options):
        # bluetoothd owns the CCCD; D-Bus clients use StartNotify/StopNotify.
        obj.peripheral.gatt_log.append(('DescriptorWriteValue', obj.gatt_uuid, bytes(_value)))
        raise _error('NotPermitted', 'Write not permitted')

    return {
        'ReadValue': ('a{sv}', 'ay', '', ReadValue),
        'WriteValue': ('aya{sv}', '', '', WriteValue),
    }


# --- Improv Wi-Fi -------------------------------------------------------------------

STATE_AUTHORIZATION_REQUIRED = 0x01
STATE_AUTHORIZED = 0x02
STATE_PROVISIONING = 0x03
STATE_PROVISIONED = 0x04
ERROR_NONE = 0x00
ERROR_INVALID_RPC = 0x01
ERROR_UNKNOWN_RPC = 0x02
ERROR_UNABLE_TO_CONNECT = 0x03
ERROR_NOT_AUTHORIZED = 0x04


def _checksum(data):
    return sum(data) & 0xff


def _rpc(command, strings):
    body = b''.join(bytes([len(s)]) + s for s in strings)
    packet = bytes([command, len(body)]) + body
    return packet + bytes([_checksum(packet)])


def _strings(data):
    out, at = [], 0
    while at < len(data):
        n = data[at]
        if at + 1 + n > len(data):
            return None
        out.append(data[at + 1:at + 1 + n])
        at += 1 + n
    return out


class ImprovDevice(Peripheral):
    '''An Improv Wi-Fi peripheral as ESPHome's esp32_improv behaves.

    Writes to the RPC characteristic are collected until the declared length
    has arrived (a client splits an RPC to fit the MTU). State and error are
    notified when they change; at the start of each RPC the error goes back to
    "none". A Wi-Fi RPC needs authorization; it moves the state to
    provisioning, then either to provisioned followed by the RPC result with
    the device URL, or back to authorized with error "unable to connect".'''

    def __init__(self, root, adapter_name, address, name, options):
        super().__init__(root, adapter_name, address, name, int(options.get('mtu', 23)))
        self.capabilities = int(options.get('capabilities', 0x01))
        self.state = STATE_AUTHORIZATION_REQUIRED if bool(options.get('require_authorization', True)) \
            else STATE_AUTHORIZED
        self.error = ERROR_NONE
        self.ssid = bytes(str(options.get('ssid', 'ProvBench-Lab')), 'utf-8')
        self.password = bytes(str(options.get('password', 'correct horse')), 'utf-8')
        self.url = bytes(str(options.get('url', 'http://192.168.4.23')), 'utf-8')
        self.delay_ms = int(options.get('provision_delay_ms', 150))
        self.incoming = b''
        self.add_service(IMPROV_SERVICE, [
            (IMPROV_STATE, ['read', 'notify'], bytes([self.state])),
            (IMPROV_ERROR, ['read', 'notify'], bytes([self.error])),
            (IMPROV_RPC, ['write'], b''),
            (IMPROV_RESULT, ['read', 'notify'], b''),
            (IMPROV_CAPABILITIES, ['read'], bytes([self.capabilities])),
        ])
        self.advertise({'RSSI': int(options.get('rssi', -60)), 'UUIDs': [IMPROV_SERVICE],
                        'ServiceData': {IMPROV_SERVICE_DATA: self._service_data()}})

    def _service_data(self):
        return bytes([self.state, self.capabilities, 0, 0, 0, 0])

    def set_state(self, state):
        if state == self.state:
            return
        self.state = state
        self.set_value(IMPROV_STATE, bytes([state]))
        self.advertise({'ServiceData': {IMPROV_SERVICE_DATA: self._service_data()}})

    def set_error(self, error):
        if error == self.error:
            return
        self.error = error
        self.set_value(IMPROV_ERROR, bytes([error]))

    def send_result(self, command, strings):
        self.set_value(IMPROV_RESULT, _rpc(command, strings))

    def press_button(self):
        if self.state == STATE_AUTHORIZATION_REQUIRED:
            self.set_state(STATE_AUTHORIZED)

    def on_write(self, char_uuid, value):
        if char_uuid != IMPROV_RPC:
            return
        self.incoming += value
        if len(self.incoming) < 2:
            return
        expected = self.incoming[1] + 3
        if len(self.incoming) < expected:
            return
        packet, self.incoming = self.incoming, b''
        self.set_error(ERROR_NONE)
        if len(packet) != expected or _checksum(packet[:-1]) != packet[-1]:
            self.set_error(ERROR_INVALID_RPC)
            return
        command, data = packet[0], packet[2:-1]
        strings = _strings(data)
        if strings is None:
            self.set_error(ERROR_INVALID_RPC)
            return
        if command == 0x01:
            self._wifi_settings(strings)
        elif command == 0x02 and self.capabilities & 0x01:
            pass  # identify: the real device blinks
        elif command == 0x03 and self.capabilities & 0x02:
            self.send_result(0x03, [b'ProvBench Mock', b'1.2.3', b'ESP32-C3', b'Mock Improv'])
        else:
            self.set_error(ERROR_UNKNOWN_RPC)

    def _wifi_settings(self, strings):
        if self.state == STATE_AUTHORIZATION_REQUIRED:
            self.set_error(ERROR_NOT_AUTHORIZED)
            return
        if len(strings) != 2 or not strings[0]:
            self.set_error(ERROR_INVALID_RPC)
            return
        ssid, password = strings
        self.set_state(STATE_PROVISIONING)

        def outcome():
            if not self.connected:
                return False
            if (ssid, password) == (self.ssid, self.password):
                self.set_state(STATE_PROVISIONED)
                self.send_result(0x01, [self.url])
            else:
                self.set_error(ERROR_UNABLE_TO_CONNECT)
                self.set_state(STATE_AUTHORIZED)
            return False
        GLib.timeout_add(self.delay_ms, outcome)

    def on_disconnected(self):
        self.incoming = b''


# --- MCUmgr SMP -----------------------------------------------------------------------

def _cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    if n < 0x100:
        return bytes([major << 5 | 24, n])
    if n < 0x10000:
        return bytes([major << 5 | 25]) + struct.pack('>H', n)
    return bytes([major << 5 | 26]) + struct.pack('>I', n)


def cbor_encode(value):
    if isinstance(value, bool):
        return b'\xf5' if value else b'\xf4'
    if value is None:
        return b'\xf6'
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, (bytes, bytearray)):
        return _cbor_head(2, len(value)) + bytes(value)
    if isinstance(value, str):
        raw = value.encode('utf-8')
        return _cbor_head(3, len(raw)) + raw
    if isinstance(value, (list, tuple)):
        return _cbor_head(4, len(value)) + b''.join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return _cbor_head(5, len(value)) + b''.join(cbor_encode(k) + cbor_encode(v)
                                                    for k, v in value.items())
    raise ValueError(f'cannot encode {type(value)}')


def cbor_decode(data, at=0):
    '''Definite-length CBOR as QCborValue writes it; returns (value, next offset).'''
    first = data[at]
    major, info = first >> 5, first & 0x1f
    at += 1
    if info < 24:
        n = info
    elif info == 24:
        n, at = data[at], at + 1
    elif info == 25:
        n, at = struct.unpack_from('>H', data, at)[0], at + 2
    elif info == 26:
        n, at = struct.unpack_from('>I', data, at)[0], at + 4
    elif info == 27:
        n, at = struct.unpack_from('>Q', data, at)[0], at + 8
    else:
        raise ValueError('indefinite lengths are not supported')
    if major == 0:
        return n, at
    if major == 1:
        return -1 - n, at
    if major == 2:
        return bytes(data[at:at + n]), at + n
    if major == 3:
        return bytes(data[at:at + n]).decode('utf-8'), at + n
    if major == 4:
        items = []
        for _ in range(n):
            item, at = cbor_decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        result = {}
        for _ in range(n):
            key, at = cbor_decode(data, at)
            result[key], at = cbor_decode(data, at)
        return result, at
    if major == 7:
        return {20: False, 21: True, 22: None}.get(info), at
    raise ValueError(f'unsupported CBOR major type {major}')


class SmpDevice(Peripheral):
    '''A Zephyr-like MCUmgr SMP server on the SMP GATT characteristic.

    Requests arrive by write without response and are reassembled by the
    length in their 8-byte header; responses go out as notifications of at
    most MTU - 3 bytes each. OS echo (group 0, id 0) answers {"r": d}; any
    other command answers {"rc": 8} (not supported).'''

    def __init__(self, root, adapter_name, address, name, options):
        super().__init__(root, adapter_name, address, name, int(options.get('mtu', 23)))
        self.incoming = b''
        self.add_service(SMP_SERVICE, [
            (SMP_CHARACTERISTIC, ['write-without-response', 'notify'], b''),
        ])
        self.advertise({'RSSI': int(options.get('rssi', -60)), 'UUIDs': [SMP_SERVICE]})

    def on_write(self, char_uuid, value):
        if char_uuid != SMP_CHARACTERISTIC:
            return
        self.incoming += value
        while len(self.incoming) >= 8:
            length = struct.unpack_from('>H', self.incoming, 2)[0]
            if len(self.incoming) < 8 + length:
                return
            packet, self.incoming = self.incoming[:8 + length], self.incoming[8 + length:]
            self._handle(packet)

    def _handle(self, packet):
        op_byte, flags, _length, group, seq, command = struct.unpack_from('>BBHHBB', packet)
        op = op_byte & 0x07
        try:
            body, _ = cbor_decode(packet, 8)
        except (ValueError, IndexError, UnicodeDecodeError):
            body = None
        if group == 0 and command == 0 and op in (0, 2) and isinstance(body, dict) and 'd' in body:
            answer = {'r': body['d']}
        else:
            answer = {'rc': 8}
        payload = cbor_encode(answer)
        header = struct.pack('>BBHHBB', (op_byte & 0xf8) | (op + 1), flags, len(payload), group, seq,
                             command)
        response = header + payload
        piece = self.mtu - 3
        for at in range(0, len(response), piece):
            self.notify(SMP_CHARACTERISTIC, response[at:at + piece])

    def on_disconnected(self):
        self.incoming = b''


# --- mock API -------------------------------------------------------------------------

@dbus.service.method(MOCK_IFACE, in_signature='sssa{sv}', out_signature='s')
def AddLEDevice(self, adapter_name, address, name, advert):
    '''A plain LE device that advertises `advert` and has no GATT services.'''
    peripheral = Peripheral(self, adapter_name, address, name, 23)
    peripheral.advertise(advert)
    return peripheral.path


@dbus.service.method(MOCK_IFACE, in_signature='sa{sv}', out_signature='')
def SetAdvertisement(self, address, advert):
    _peripheral(address).advertise(advert)


@dbus.service.method(MOCK_IFACE, in_signature='sssa{sv}', out_signature='s')
def AddImprovDevice(self, adapter_name, address, name, options):
    return ImprovDevice(self, adapter_name, address, name, options).path


@dbus.service.method(MOCK_IFACE, in_signature='s', out_signature='')
def PressButton(self, address):
    device = _peripheral(address)
    if not isinstance(device, ImprovDevice):
        raise dbus.exceptions.DBusException(f'{address} is not an Improv device.',
                                            name=MOCK_IFACE + '.NoSuchDevice')
    device.press_button()


@dbus.service.method(MOCK_IFACE, in_signature='sss', out_signature='')
def SetWifiNetwork(self, address, ssid, password):
    device = _peripheral(address)
    device.ssid = bytes(ssid, 'utf-8')
    device.password = bytes(password, 'utf-8')


@dbus.service.method(MOCK_IFACE, in_signature='sssa{sv}', out_signature='s')
def AddSmpDevice(self, adapter_name, address, name, options):
    return SmpDevice(self, adapter_name, address, name, options).path


@dbus.service.method(MOCK_IFACE, in_signature='sb', out_signature='')
def SetConnectable(self, address, connectable):
    _peripheral(address).connectable = bool(connectable)


@dbus.service.method(MOCK_IFACE, in_signature='sb', out_signature='')
def SetGattStalled(self, address, stalled):
    _peripheral(address).stalled = bool(stalled)


@dbus.service.method(MOCK_IFACE, in_signature='sb', out_signature='')
def DropConnection(self, address, requests_first):
    '''Held requests fail after Connected turned false, or before it when
    requests_first is set (both orders happen with bluetoothd).'''
    _peripheral(address).drop(bool(requests_first))


@dbus.service.method(MOCK_IFACE, in_signature='ssay', out_signature='')
def Notify(self, address, char_uuid, value):
    _peripheral(address).notify(str(char_uuid).lower(), bytes(value))


@dbus.service.method(MOCK_IFACE, in_signature='s', out_signature='a(ssay)')
def GetGattLog(self, address):
    return dbus.Array([dbus.Struct((m, u, dbus.Array(v, signature='y')), signature='ssay')
                       for m, u, v in _peripheral(address).gatt_log], signature='(ssay)')
