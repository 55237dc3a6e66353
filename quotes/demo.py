"""A believable catalogue for the demo tenant (seed_demo): an IT and structured-cabling firm's suppliers, ~60 products,
categories with markups and labour rates. Written through the services so the price history and audit log are real."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from quotes.models import Supplier
from quotes.services import catalogue as services

D = Decimal

SUPPLIERS = [
    # name, account number, contact, email, phone, website, preferred
    ("Midland Cable Distribution Ltd", "MCD-40217", "Karen Holt", "orders@midlandcable.example", "0121 496 0101",
     "www.midlandcable.example", True),
    ("NetSource Wholesale", "NSW-88231", "Imran Shah", "trade@netsource.example", "0161 496 0202",
     "www.netsource.example", False),
    ("Apex Network Distribution", "APX-1193", "Louise Grant", "sales@apexnd.example", "01922 496 0303",
     "www.apexnd.example", False),
    ("CloudLicence Direct", "CLD-5521", "Ben Carter", "renewals@cloudlicence.example", "0330 496 0404",
     "www.cloudlicence.example", False),
]

CATEGORIES = [("Cable", D("30.00")), ("Connectivity", D("35.00")), ("Cabinets and racks", D("25.00")),
              ("Active equipment", D("18.00")), ("Licences and subscriptions", D("12.00")), ("Labour", D("0.00")),
              ("Fibre", D("30.00")), ("Sundries", D("40.00"))]

# supplier index, part number, description, category, unit, cost, list
PRODUCTS = [
    (0, "UTP-C6-305-BL", "Cat6 U/UTP LSZH solid copper cable, 23 AWG, 305 m box, blue", "Cable", "box", "92.40", "139.00"),
    (0, "UTP-C6-305-GR", "Cat6 U/UTP LSZH solid copper cable, 23 AWG, 305 m box, grey", "Cable", "box", "92.40", "139.00"),
    (0, "UTP-C6-305-WH", "Cat6 U/UTP LSZH solid copper cable, 23 AWG, 305 m box, white", "Cable", "box", "92.40", "139.00"),
    (0, "FTP-C6A-500-GN", "Cat6A F/FTP LSZH solid copper cable, 500 m reel, green (Dca)", "Cable", "reel", "298.00", "445.00"),
    (0, "UTP-C6A-500-BL", "Cat6A U/FTP LSZH solid copper cable, 500 m reel, blue (Dca)", "Cable", "reel", "276.50", "415.00"),
    (0, "UTP-C6-EXT-305", "Cat6 U/UTP external grade PE cable, 305 m box, black, direct burial", "Cable", "box", "118.00", "179.00"),
    (0, "PP-C6-24-1U", "Cat6 unshielded patch panel, 24 port, 1U, fully loaded, with cable management bar", "Connectivity", "each", "38.90", "64.00"),
    (0, "PP-C6A-24-1U-S", "Cat6A shielded patch panel, 24 port, 1U, unloaded, for keystone jacks", "Connectivity", "each", "29.50", "49.00"),
    (0, "PP-C6-48-2U", "Cat6 unshielded patch panel, 48 port, 2U, fully loaded", "Connectivity", "each", "71.20", "118.00"),
    (0, "KJ-C6-UTP-WH", "Cat6 UTP keystone jack, toolless, white", "Connectivity", "each", "2.35", "4.20"),
    (0, "KJ-C6A-STP", "Cat6A shielded keystone jack, toolless, die-cast", "Connectivity", "each", "5.80", "9.90"),
    (0, "KJ-C6-UTP-10PK", "Cat6 UTP keystone jack, toolless, pack of 10", "Connectivity", "pack", "21.00", "37.50"),
    (0, "FP-SG-2P-EURO", "Single-gang faceplate, 2 port, euro module, white, with shutters", "Connectivity", "each", "1.45", "2.90"),
    (0, "BB-SG-47MM", "Single-gang surface back box, 47 mm deep, white", "Sundries", "each", "0.85", "1.80"),
    (0, "PC6-0.5M-BL", "Cat6 U/UTP patch lead, LSZH, snagless, 0.5 m, blue", "Connectivity", "each", "0.95", "2.10"),
    (0, "PC6-1M-BL", "Cat6 U/UTP patch lead, LSZH, snagless, 1 m, blue", "Connectivity", "each", "1.10", "2.40"),
    (0, "PC6-2M-BL", "Cat6 U/UTP patch lead, LSZH, snagless, 2 m, blue", "Connectivity", "each", "1.35", "2.90"),
    (0, "PC6-3M-BL", "Cat6 U/UTP patch lead, LSZH, snagless, 3 m, blue", "Connectivity", "each", "1.60", "3.40"),
    (0, "PC6-5M-GR", "Cat6 U/UTP patch lead, LSZH, snagless, 5 m, grey", "Connectivity", "each", "2.20", "4.60"),
    (0, "PC6A-1M-GN", "Cat6A S/FTP patch lead, LSZH, 1 m, green", "Connectivity", "each", "2.90", "5.80"),
    (0, "PC6A-2M-GN", "Cat6A S/FTP patch lead, LSZH, 2 m, green", "Connectivity", "each", "3.40", "6.70"),
    (0, "CAB-42U-800-FS", "42U floor-standing data cabinet, 800 x 1000 mm, glass front door, vented rear, black",
     "Cabinets and racks", "each", "486.00", "749.00"),
    (0, "CAB-27U-600-FS", "27U floor-standing data cabinet, 600 x 800 mm, glass front door, black", "Cabinets and racks", "each", "298.00", "459.00"),
    (0, "CAB-12U-WM-600", "12U wall-mounted data cabinet, 600 x 450 mm, glass door, flat packed", "Cabinets and racks", "each", "112.00", "179.00"),
    (0, "CAB-9U-WM-450", "9U wall-mounted data cabinet, 600 x 450 mm, glass door", "Cabinets and racks", "each", "89.00", "142.00"),
    (0, "PDU-8W-UK-H", "8-way UK sockets horizontal PDU, 1U, 13 A plug", "Cabinets and racks", "each", "24.50", "42.00"),
    (0, "SHELF-1U-CANT", "1U cantilever shelf, 300 mm deep, black", "Cabinets and racks", "each", "11.80", "21.00"),
    (0, "CMB-1U-5R", "1U cable management bar, 5 rings, black", "Cabinets and racks", "each", "6.40", "11.50"),
    (0, "FAN-4W-ROOF", "4-way roof fan tray with thermostat", "Cabinets and racks", "each", "58.00", "95.00"),
    (0, "CTIE-VEL-10M", "Hook and loop cable tie roll, 10 m x 10 mm, black", "Sundries", "each", "3.10", "6.50"),
    (0, "LBL-PNL-PRINT", "Patch panel labels, laser printable, 25 sheets", "Sundries", "pack", "7.90", "14.50"),
    (0, "TRUNK-50X50-3M", "PVC trunking 50 x 50 mm, 3 m length, with lid", "Sundries", "each", "6.20", "11.90"),
    (0, "CONT-25MM-3M", "Oval conduit 25 mm, 3 m length", "Sundries", "each", "1.10", "2.50"),
    (1, "FO-OM4-12C-INT", "OM4 12-core tight-buffered internal/external fibre cable, LSZH, per metre", "Fibre", "metre", "2.85", "4.60"),
    (1, "FO-OS2-8C-LT", "OS2 8-core loose tube external fibre cable, per metre", "Fibre", "metre", "1.95", "3.20"),
    (1, "FO-PNL-24LC-1U", "1U sliding fibre patch panel, 24 LC duplex, loaded OM4", "Fibre", "each", "142.00", "229.00"),
    (1, "FO-PIG-LC-OM4", "LC OM4 fibre pigtail, 1 m, aqua", "Fibre", "each", "3.90", "7.50"),
    (1, "FO-PL-LCLC-OM4-2", "LC-LC OM4 duplex fibre patch lead, 2 m, aqua", "Fibre", "each", "6.20", "11.80"),
    (1, "FO-PL-LCLC-OS2-3", "LC-LC OS2 duplex fibre patch lead, 3 m, yellow", "Fibre", "each", "5.90", "11.20"),
    (1, "SFP-10G-SR", "10GBASE-SR SFP+ transceiver, multimode, 300 m, LC", "Active equipment", "each", "24.00", "45.00"),
    (1, "SFP-1G-LX", "1000BASE-LX SFP transceiver, single-mode, 10 km, LC", "Active equipment", "each", "14.50", "29.00"),
    (2, "SW-24P-POE-L2", "24-port gigabit PoE+ managed switch, 4 x 10G SFP+ uplinks, 370 W budget", "Active equipment", "each", "612.00", "799.00"),
    (2, "SW-48P-POE-L3", "48-port gigabit PoE+ layer 3 switch, 4 x 10G SFP+ uplinks, 740 W budget", "Active equipment", "each", "1284.00", "1659.00"),
    (2, "SW-8P-POE-DESK", "8-port gigabit PoE+ desktop smart switch, 65 W budget", "Active equipment", "each", "79.00", "109.00"),
    (2, "SW-24-L2-NOPOE", "24-port gigabit managed switch, 4 x 1G SFP uplinks", "Active equipment", "each", "189.00", "259.00"),
    (2, "AP-WIFI7-IN", "Wi-Fi 7 tri-band indoor access point, ceiling mount, PoE+", "Active equipment", "each", "248.00", "329.00"),
    (2, "AP-WIFI6E-IN", "Wi-Fi 6E indoor access point, ceiling mount, PoE", "Active equipment", "each", "172.00", "229.00"),
    (2, "AP-WIFI6-OUT", "Wi-Fi 6 outdoor access point, IP67, PoE, with pole mount", "Active equipment", "each", "229.00", "309.00"),
    (2, "FW-SMB-1G", "Next-generation firewall appliance, 1 Gbps threat throughput, 8 x 1G ports", "Active equipment", "each", "684.00", "889.00"),
    (2, "UPS-1500-RM", "1500 VA line-interactive UPS, 2U rack mount, network card slot", "Active equipment", "each", "412.00", "559.00"),
    (2, "INJ-POE-30W", "PoE+ injector, 30 W, gigabit", "Active equipment", "each", "18.50", "32.00"),
    (3, "LIC-AP-CLOUD-1Y", "Cloud management licence for one access point, 1 year", "Licences and subscriptions", "year", "32.00", "45.00"),
    (3, "LIC-AP-CLOUD-3Y", "Cloud management licence for one access point, 3 years", "Licences and subscriptions", "each", "84.00", "119.00"),
    (3, "LIC-SW24-CLOUD-1Y", "Cloud management licence for one 24-port switch, 1 year", "Licences and subscriptions", "year", "58.00", "79.00"),
    (3, "LIC-FW-UTM-1Y", "Firewall security subscription (IPS, web filtering, anti-malware), 1 year", "Licences and subscriptions", "year", "296.00", "399.00"),
    (3, "M365-BP-MONTH", "Microsoft 365 Business Premium, per user per month (annual commitment)", "Licences and subscriptions", "month", "16.50", "18.10"),
    (3, "M365-BS-MONTH", "Microsoft 365 Business Standard, per user per month (annual commitment)", "Licences and subscriptions", "month", "9.40", "10.30"),
    (3, "BKP-M365-USER", "Microsoft 365 cloud backup, per user per month", "Licences and subscriptions", "month", "1.60", "2.95"),
    (3, "MON-DEVICE-MONTH", "Remote monitoring and management agent, per device per month", "Licences and subscriptions", "month", "1.10", "3.50"),
    (0, "LAB-INSTALL-PT", "Cabling installation per data point: install, terminate both ends, test and label", "Labour", "each", "28.00", "55.00"),
    (0, "LAB-CERT-PT", "Certification test per permanent link, with PDF results", "Labour", "each", "2.50", "6.00"),
]

LABOUR_RATES = [
    # role, cost/hour, sell/hour, cost/day, sell/day
    ("Cabling engineer", "21.50", "45.00", "172.00", "340.00"),
    ("Cabling apprentice", "12.00", "28.00", "96.00", "210.00"),
    ("Fibre splicing engineer", "26.00", "60.00", "208.00", "460.00"),
    ("Network engineer", "30.00", "75.00", "240.00", "560.00"),
    ("Project manager", "34.00", "85.00", "272.00", "640.00"),
    ("Out-of-hours engineer (evenings and weekends)", "32.25", "67.50", "258.00", "510.00"),
]


@transaction.atomic
def quotes_demo_seed(*, acting_user) -> int:
    """Idempotent: does nothing once the demo tenant has suppliers."""
    if Supplier.objects.exists():
        return 0
    suppliers = [services.supplier_create(acting_user=acting_user, name=name, account_number=account, contact_name=contact,
                                          email=email, phone=phone, website=website, is_preferred=preferred)
                 for name, account, contact, email, phone, website, preferred in SUPPLIERS]
    categories = {name: services.category_save(acting_user=acting_user, name=name, default_markup_percent=markup)
                  for name, markup in CATEGORIES}
    for supplier_index, part, description, category, unit, cost, list_price in PRODUCTS:
        services.product_create(acting_user=acting_user, supplier=suppliers[supplier_index], part_number=part,
                                description=description, category=categories[category], unit=unit,
                                cost_price=D(cost), list_price=D(list_price))
    # A supplier price rise on copper cable, so the price history has a story to tell.
    from quotes.models import Product

    for product in Product.objects.filter(part_number__startswith="UTP-C6-305"):
        services.product_update(product=product, acting_user=acting_user,
                                changes={"cost_price": product.cost_price + D("4.60")})
    for name, cost_hour, sell_hour, cost_day, sell_day in LABOUR_RATES:
        services.labour_rate_save(acting_user=acting_user, name=name, cost_per_hour=D(cost_hour), sell_per_hour=D(sell_hour),
                                  cost_per_day=D(cost_day), sell_per_day=D(sell_day))
    return len(PRODUCTS)

