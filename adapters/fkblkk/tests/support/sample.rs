//! The sample folder (also the gateway's demo, `gateway/demo/fkblkk/`): a forum of eight
//! fictional BLKKs in the five Kabupaten Tangerang kecamatan the embedded reference lists,
//! reported over 2025 TW1, TW2 and a TW2 `_revisi`, with the contract's quirks (§8).
//!
//! What it must give (`tests/sample.rs` checks it): 8 centres (1 inactive), 8 courses and runs
//! (6 completed, 1 running, 1 planned), 71 enrolments (58 completed, 1 failed, 2 withdrawn,
//! 10 in progress) of 70 participants (one person at two BLKKs; 2 number-typed NIKs, rejected),
//! 32 outcomes (19 self-employed), 4 partnerships, 20 certificates (the passed people of 001
//! and 002); two `NIK_NOT_TEXT` warnings and no other;
//! the info notes of the quirks; two ignored files.
//!
//! Everyone is synthetic. Five people share a NIK with the other demo providers: two with SPN's
//! demo export (`gateway/demo/spn/peserta.csv`: SPN-P-0001, SPN-P-0003), three with the
//! BBPLK and BPJAMSOSTEK people the sample-data generator makes for the demo (seed 2025).
//! Cells are written in [`super::c`]'s notation: `#` numbers, `@` date cells, else text.

use std::path::Path;

use super::{c, cells, n, rows_of, t, template_sheets, write_workbook, Line, Sheet, V};

/// `Profil BLKK` (TW2), in the template's order after `No`; TW1 lists the first seven, all
/// active.
const BLKKS: &str = "\
BLKK-TNG-01|BLK Komunitas Ponpes Nurul Falah Balaraja (fiktif)|Yayasan Pondok Pesantren Nurul Falah (fiktif)|Pondok Pesantren|Kp. Tobat RT 002/RW 001 (fiktif)|Tobat|Balaraja|#2019|Garmen Apparel|Mesin jahit high speed 16 unit; mesin obras 2 unit; ruang praktik|Ust. Ahmad Fauzi (fiktif)|089900300101|blkk.nurulfalah@example.org|#4|Aktif
BLKK-TNG-02|BLK Komunitas Ponpes Al-Hidayah Tigaraksa (fiktif)|Yayasan Pondok Pesantren Al-Hidayah (fiktif)|Pondok Pesantren|Kp. Pete RT 004/RW 002 (fiktif)|Pete|Kec. Tigaraksa|#2018|TIK|Komputer 16 unit; printer; proyektor; ruang lab|H. Mulyadi (fiktif)|#89900300102||#3|Aktif
BLKK-TNG-03|BLK Komunitas Nurul Hikmah Cisoka (fiktif)|Yayasan Pondok Pesantren Nurul Hikmah (fiktif)|Pondok Pesantren|Kp. Babakan RT 003/RW 002 (fiktif)|Selapajang|Cisoka|#2019|Garmen Apparel; Tata Boga|Mesin jahit 16 unit; oven; mixer; ruang praktik|Ust. Dedi Wijaya (fiktif)|0899-0030-0103|blkk.nurulhikmah@example.org|#4|Aktif
BLKK-TNG-04|BLK Komunitas Ponpes Daarul Falah Pasar Kemis (fiktif)|Yayasan Daarul Falah (fiktif)|Pondok Pesantren|Kp. Kaum RT 006/RW 001 (fiktif)|Sukamantri|Ps. Kemis|2020|Listrik|Panel instalasi 8 set; alat ukur; ruang praktik|Ust. Jajang Nurjaman (fiktif)|089900300104||#3|Aktif
BLKK-TNG-05|BLK Komunitas Al-Amanah Tigaraksa (fiktif)|Yayasan Al-Amanah (fiktif)|Yayasan Keagamaan|Kp. Matagara RT 001/RW 003 (fiktif)|Matagara|Tigaraksa|#2021|TIK, Kewirausahaan|Komputer 10 unit; ruang kelas; studio foto produk|Hj. Siti Rohmah (fiktif)|+62 899 0030 0105|blkk.alamanah@example.org|#5|Aktif
BLKK-TNG-06|BLK Komunitas Ponpes Miftahul Ulum Cikupa (fiktif)|Yayasan Pondok Pesantren Miftahul Ulum (fiktif)|Pondok Pesantren|Kp. Bitung RT 005/RW 004 (fiktif)|Bitung Jaya|Cikupa|#2019|Otomotif|Peralatan servis sepeda motor 2 set; scanner injeksi; ruang bengkel|Ust. Rahmat Hidayat (fiktif)|#89900300106||#3|Aktif
BLKK-TNG-07|BLK Komunitas Yayasan Al-Ikhlas Balaraja (fiktif)|Yayasan Al-Ikhlas (fiktif)|Yayasan Keagamaan|Kp. Saga RT 002/RW 005 (fiktif)|Saga|Belaraja|#2022|Tata Rias|Meja rias 6 unit; kursi salon; ruang praktik|Ibu Nurlela (fiktif)|089900300107||#2|Tidak aktif
BLKK-TNG-08|BLK Komunitas Ponpes Darussalam Cisoka (fiktif)|Yayasan Pondok Pesantren Darussalam (fiktif)|Pondok Pesantren|Kp. Jeungjing RT 001/RW 001 (fiktif)|Jeungjing|CISOKA|#2020|Teknik Las|Mesin las SMAW 8 unit; booth las; APD|Ust. Hasanuddin (fiktif)|089900300108||#2|Aktif";

/// `Pelatihan` (TW2): code, BLKK (row of [`BLKKS`]), kejuruan, programme, angkatan, start,
/// end, JP, funding, status, instructor, note. TW1 lists the first four (004 running).
const BATCHES: &str = "\
PLT-2025-001|0|Menjahit|Menjahit Pakaian Wanita|#1|@2025-01-13|@2025-02-21|#240|PBK|Selesai|Instruktur 01-A (fiktif)|Paket PBK
PLT-2025-002|3|Listrik|Instalasi Listrik Rumah Tinggal|#1|@2025-02-03|@2025-03-14|#240|PBK Kemnaker|Selesai|Instruktur 04-A (fiktif)|Paket PBK
PLT-2025-003|4|Kewirausahaan|Kewirausahaan dan Branding Produk Alumni|I|@2025-02-17|@2025-02-28|#40|APBD Kab. Tangerang|Selesai|Fasilitator 05-B (fiktif)|Pendampingan merek produk alumni
PLT-2025-004|1|TIK|Operator Komputer Muda|#1|@2025-03-03|@2025-04-11|#240|PBK|Selesai|Instruktur 02-A (fiktif)|Paket PBK
PLT-2025-005|2|Tata Boga|Pembuatan Roti dan Kue|#1|14 April 2025|23/05/2025|#160|CSR PT Roti Nusantara Sejahtera (fiktif)|Selesai|Instruktur 03-B (fiktif)|
PLT-2025-006|5|Otomotif|Servis Sepeda Motor Injeksi|II|@2025-05-05|@2025-07-25|#240|PBK + Mandiri||Instruktur 06-A (fiktif)|
PLT-2025-007|7|Teknik Las|Las Listrik Dasar|#1|#45852|@2025-08-22|#240|Mandiri|Rencana|Instruktur 08-A (fiktif)|Menunggu peserta
PLT-2025-008|6|Tata Rias|Tata Rias Pengantin|#1|@2025-04-21|@2025-05-30|#120|Swadaya|Selesai|Instruktur 07-A (fiktif)|";

/// Where each batch's people live: NIK region, desa, kecamatan as typed, mostly women.
const HOMES: [(&str, &str, &str, bool); 8] = [
    (
        "360301",
        "Tobat|Cangkudu|Talagasari|Gembong|Saga|Sentul",
        "Balaraja",
        true,
    ),
    (
        "360312",
        "Sukamantri|Kutabumi|Sindangsari|Gelam Jaya|Suka Asih",
        "Ps. Kemis",
        false,
    ),
    (
        "360303",
        "Pete|Matagara|Pasir Nangka|Tegalsari|Cisereh|Sodong",
        "Tigaraksa",
        true,
    ),
    (
        "360303",
        "Pete|Matagara|Pasir Nangka|Tegalsari|Cisereh|Sodong",
        "Kec. Tigaraksa",
        false,
    ),
    (
        "360305",
        "Selapajang|Caringin|Sukatani|Cibugel|Jeungjing|Carenang",
        "Kec. Cisoka",
        true,
    ),
    (
        "360318",
        "Bitung Jaya|Talaga|Dukuh|Sukadamai|Bojong|Cibadak",
        "cikupa",
        false,
    ),
    ("360305", "Selapajang", "Cisoka", false),
    (
        "360301",
        "Tobat|Cangkudu|Talagasari|Gembong|Saga|Sentul",
        "Belaraja",
        true,
    ),
];

/// Participants per batch (008: 8; its TW2 row says 9, the revision fixes it).
const SIZES: [usize; 8] = [12, 10, 12, 10, 10, 10, 0, 8];

const WOMEN: &str = "Siti Euis Neng Dewi Rina Yuli Ai Iis Lilis Nining Enung Imas Tati Nur";
const MEN: &str =
    "Dadang Asep Ujang Ade Rizki Agus Iwan Jajang Cecep Deden Yayan Irfan Fajar Wahyu";
const FAMILY: &str = "Sutisna Kurniawan Hidayat Saputra Rahmawati Lestari Suryani Nurjanah \
    Maulana Ramdani Setiawan Permana Komalasari Mulyana Fitriani Hakiki Nuraeni";
const MONTHS: &str = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober \
    November Desember";

/// People shared with the other demo providers: (batch, row, `Peserta` cells from `Nama
/// Peserta` to `Kab/Kota`).
const SHARED: [(usize, usize, &str); 5] = [
    (2, 0, "Sri Wahyuningsih|3602135402859301|P|Lebak|@1985-02-14|SMA|Kp. Pasirhuni RT 004/RW 006|Sangiang|Maja|Lebak"),
    (2, 1, "YAYAH RUKAYAH|3602136105909303|P|Serang|21 Mei 1990|SMK|Kp. Leuwidamar RT 001/RW 002|Pasirkembang|Maja|Kab. Lebak"),
    (0, 1, "Intan Rini Mulyani|3603014904849173|P|Tegal|@1984-04-09|SD|Kp. Tobat RT 010/RW 002|Tobat|Balaraja|"),
    (3, 2, "Dede Hasan H.|3603031805909270|L|Tangerang|@1990-05-18|SMP|Kp. Pete RT 003/RW 001|Pete|Tigaraksa|"),
    (5, 3, "Ahmad Firmansyah|3603011005859170|L|Tangerang|@1985-05-10|SMP|Kp. Gembong RT 002/RW 004|Gembong|Balaraja|"),
];

/// `Peserta` columns, the template's names and TW1's aliases.
const PESERTA: &str =
    "No|Kode Pelatihan|Nama Peserta|NIK|L/P|Tempat Lahir|Tanggal Lahir|Pendidikan|\
    Alamat|Desa/Kelurahan|Kecamatan|Kab/Kota|No. HP|Status Pekerjaan|Status Peserta|No. Sertifikat|\
    Keterangan";
const PESERTA_TW1: &str = "No.|Kode Pelatihan|Nama Lengkap|No. KTP|JK|Tempat Lahir|Tgl Lahir|\
    Pendidikan|Alamat|Desa/Kelurahan|Kecamatan|Kab/Kota|No. HP/WA|Status Pekerjaan|Status Peserta|\
    No. Sertifikat|Keterangan";

fn word(list: &str, i: usize) -> &str {
    let words: Vec<&str> = list.split_whitespace().collect();
    words[i % words.len()]
}

/// The person cells (`Nama Peserta` … `Status Pekerjaan`, 12 cells) of row `i` of batch `b`:
/// a stable, varied pattern (case, initials, the three date forms, phones as numbers).
fn person(b: usize, i: usize) -> Vec<V> {
    let (region, desas, kecamatan, women) = HOMES[b];
    let k = b * 20 + i + 1;
    let woman = if women { i % 5 != 4 } else { i % 6 == 5 };
    let given = word(if woman { WOMEN } else { MEN }, k);
    let mut name = format!("{given} {}", word(FAMILY, k * 7));
    match k % 9 {
        3 => name = name.to_uppercase(),
        6 if !woman => name = format!("M. {}", word(FAMILY, k)),
        _ => {}
    }
    let (year, month, day) = (1980 + (k * 7) % 26, 1 + (k * 5) % 12, 1 + (k * 11) % 28);
    let nik_day = if woman { day + 40 } else { day };
    let nik = format!(
        "{region}{nik_day:02}{month:02}{:02}{:04}",
        year % 100,
        8000 + k
    );
    let born = match k % 13 {
        4 => format!("{day} {} {year}", word(MONTHS, month - 1)),
        8 => format!("{day:02}-{month:02}-{year}"),
        11 => format!("#{}", serial(year as i32, month as u32, day as u32)),
        _ => format!("@{year}-{month:02}-{day:02}"),
    };
    let phone = match k % 6 {
        1 => format!("#8990310{k:04}"),
        4 => format!("0899-0310-{k:04}"),
        _ => format!("08990310{k:04}"),
    };
    let desa = word(&desas.replace(' ', "_").replace('|', " "), k).replace('_', " ");
    let sex = if woman { "P" } else { "L" };
    let place = word("Tangerang Serang Lebak Pandeglang Bogor", k);
    let school = word("SMA SMK MA SMP MTs Paket_C SLTA SD", k).replace('_', " ");
    let work = word(
        "Belum_Bekerja Santri Korban_PHK Ibu_Rumah_Tangga Bekerja Pelajar IRT",
        k,
    )
    .replace('_', " ");
    let street = format!("Kp. {desa} RT {:03}/RW {:03}", 1 + k % 7, 1 + k % 5);
    cells(&format!(
        "{name}|{nik}|{sex}|{place}|{born}|{school}|{street}|{desa}|{kecamatan}||{phone}|{work}"
    ))
}

/// The Excel serial of a date (1900 system).
fn serial(y: i32, m: u32, day: u32) -> i64 {
    let date = chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
    (date - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()).num_days()
}

/// Everyone, per batch, with the sample's special cases applied.
fn people() -> Vec<Vec<Vec<V>>> {
    let mut people: Vec<Vec<Vec<V>>> = (0..8)
        .map(|b| (0..SIZES[b]).map(|i| person(b, i)).collect())
        .collect();
    for (b, i, shared) in SHARED {
        let mut row = cells(shared);
        let nik = shared.split('|').nth(1).unwrap_or_default();
        row.push(c(&format!("08990310{}", &nik[12..])));
        row.push(c("Korban PHK"));
        people[b][i] = row;
    }
    // One person at two BLKKs (PLT-2025-001, PLT-2025-008), spelled and reachable differently.
    let mut twin = people[0][4].clone();
    if let V::Text(name) = &twin[0] {
        twin[0] = t(&name.to_uppercase());
    }
    twin[10] = t("089903109944");
    people[7][2] = twin;
    // NIKs typed into number cells (Excel kept 15 digits): rejected, never linked.
    people[1][6][1] = n(3_603_120_705_950_010.0);
    people[5][8][1] = n(3_603_180_212_990_020.0);
    // NIKs typed with spaces or a leading apostrophe: normalised.
    if let V::Text(nik) = people[4][3][1].clone() {
        people[4][3][1] = t(&format!(
            "{} {} {} {}",
            &nik[..4],
            &nik[4..8],
            &nik[8..12],
            &nik[12..]
        ));
    }
    if let V::Text(nik) = people[7][5][1].clone() {
        people[7][5][1] = t(&format!("'{nik}"));
    }
    // A santri of 17 (children's data: `isMinor`).
    people[3][7] = cells("Ujang Maulana|3603030909079999|L|Tangerang|@2007-09-09|MTs|Kp. Pete RT 001/RW 001|Pete|Kec. Tigaraksa||089903109977|Santri");
    // Names as typed: apostrophes and a decomposed accent (NFC normalises it).
    people[4][6][0] = t("Ma'rufah Nur'aini");
    people[1][2][0] = t("Andre\u{301} Kurniawan");
    people
}

/// `Status Peserta` of row `i` of batch `b`; 008's row 5 is `Tidak Lulus` until revised.
fn result(b: usize, i: usize, revised: bool) -> &'static str {
    match (b, i) {
        (0, 9) => "Mundur",
        (1, 4) => "Tidak Lulus",
        (3, 6) => "Mengundurkan Diri",
        (5, _) => "",
        (7, 5) if !revised => "Tidak Lulus",
        _ => "Lulus",
    }
}

/// `Alumni` surveyed in TW1: batch, row, status, business or employer, kind or title,
/// revenue, date.
const ALUMNI_TW1: &str = "\
0|0|Wirausaha|Busana Neng Balaraja (fiktif)|Jahit rumahan dan jual daring|#2500000|20/03/2025
0|1|Wirausaha|Intan Collection (fiktif)|Konveksi gamis|Rp 3.000.000|20/03/2025
0|2|Belum Bekerja||||20/03/2025
0|3|Belum Bekerja||||20/03/2025
0|4|Bekerja|PT Garmen Sentosa Balaraja (fiktif)|Operator jahit||20/03/2025
0|5|Wirausaha|Jahit Berkah (fiktif)|Permak dan jahit seragam|1.500.000|20/03/2025
0|6|Wirausaha|Jahit Berkah (fiktif)|Permak dan jahit seragam|1.500.000|20/03/2025
0|7|Wirausaha|Jahit Berkah (fiktif)|Permak dan jahit seragam|1.500.000|20/03/2025
1|0|Bekerja|CV Listrik Mandiri Tangerang (fiktif)|Teknisi instalasi||@2025-03-25
1|1|Bekerja|CV Listrik Mandiri Tangerang (fiktif)|Teknisi instalasi||@2025-03-25
1|2|Usaha Sendiri|Servis Listrik Andre (fiktif)|Jasa instalasi rumah|#2000000|@2025-03-25
1|3|Belum Bekerja||||@2025-03-25
1|4|Belum Bekerja||||@2025-03-25
1|5|Belum Bekerja||||@2025-03-25";

/// `Alumni` surveyed in TW2 (two of them updates of TW1 rows).
const ALUMNI_TW2: &str = "\
0|2|Wirausaha|Kerudung Lilis (fiktif)|Jahit kerudung|Rp 1.200.000|@2025-06-19
0|3|Berwirausaha|Rumah Jahit Rina (fiktif)|Jahit rumahan|#900000|@2025-06-19
2|0|Wirausaha|Sri Jahit Maja (fiktif)|Jahit rumahan dan jual daring|Rp 2.500.000|@2025-06-19
2|1|Wirausaha|Dapur Yayah (fiktif)|Kue kering|#1800000|@2025-06-19
2|2|Wirausaha|Produk Alumni Tigaraksa (fiktif)|Makanan ringan|Rp 750.000|@2025-06-19
2|3|Wirausaha|Produk Alumni Tigaraksa (fiktif)|Makanan ringan|Rp 750.000|@2025-06-19
2|4|Wirausaha|Produk Alumni Tigaraksa (fiktif)|Makanan ringan|Rp 750.000|@2025-06-19
2|5|Wirausaha|Produk Alumni Tigaraksa (fiktif)|Makanan ringan|Rp 750.000|@2025-06-19
2|6|Wirausaha|Produk Alumni Tigaraksa (fiktif)|Makanan ringan|Rp 750.000|@2025-06-19
2|7|Wirausaha|Produk Alumni Tigaraksa (fiktif)|Makanan ringan|Rp 750.000|@2025-06-19
3|0|Bekerja|PT Data Prima Tigaraksa (fiktif)|Operator komputer||@2025-06-19
3|1|Bekerja|PT Data Prima Tigaraksa (fiktif)|Operator komputer||@2025-06-19
3|2|Belum Bekerja||||@2025-06-19
3|3|Belum Bekerja||||@2025-06-19
3|4|Belum Bekerja||||@2025-06-19
4|0|Wirausaha|Roti Cisoka (fiktif)|Roti dan kue pesanan|Rp 1.000.000|24 Jun 2025
4|1|Mencari Kerja||||24 Jun 2025
4|2|Wirausaha|Roti Cisoka (fiktif)|Roti dan kue pesanan|Rp 1.000.000|24 Jun 2025
4|3|Mencari Kerja||||24 Jun 2025
4|4|Wirausaha|Roti Cisoka (fiktif)|Roti dan kue pesanan|Rp 1.000.000|24 Jun 2025";

/// `Kemitraan`: TW1 has the first two rows, TW2 all four.
const PARTNERS: &str = "\
FK-BLKK|Dinas Ketenagakerjaan Kabupaten Tangerang|Pemerintah Daerah|Penjajakan|||Pemutakhiran pelatihan keterampilan; bantuan peralatan; branding usaha alumni; pemberdayaan instruktur||Penjajakan
BLKK-TNG-03|PT Roti Nusantara Sejahtera (fiktif)|Perusahaan (CSR)|MoU|007/MoU/BLKK-NH/I/2025 (fiktif)|@2025-01-20|Pelatihan tata boga bersponsor|Bantuan oven dan mixer|Berlaku
BLKK-TNG-05|Koperasi Produk Alumni Tigaraksa (fiktif)|Koperasi|Nota Kesepahaman|015/MoU/BLKK-AA/IV/2025 (fiktif)|5 Mei 2025|Branding dan pemasaran produk alumni|Etalase dan pendampingan merek|Berlaku
BLKK-TNG-06|Bengkel Motor Jaya Cikupa (fiktif)|Perusahaan|PKS|021/PKS/BLKK-MU/V/2025 (fiktif)|@2025-05-02|Magang alumni servis motor|Tempat magang|Berlaku";

fn titles(first: &str, tw: u32, count: usize) -> Vec<Line> {
    let quarter = [
        "TRIWULAN I (JANUARI - MARET) TAHUN 2025",
        "TRIWULAN II (APRIL - JUNI) TAHUN 2025",
    ];
    let forum = "FORUM KOMUNIKASI BALAI LATIHAN KERJA KOMUNITAS (FK-BLKK) KABUPATEN TANGERANG";
    let all = [
        first,
        forum,
        quarter[tw as usize - 1],
        "Keadaan s.d. akhir triwulan",
    ];
    all.iter()
        .take(count)
        .map(|s| Line::Title(s.to_string()))
        .collect()
}

fn header(names: &[&str]) -> Line {
    Line::Header(names.iter().map(|s| s.to_string()).collect())
}

fn signature(who: &str) -> Line {
    Line::Signature(vec![
        "Tangerang, 8 Juli 2025".into(),
        who.into(),
        "( ............ )".into(),
    ])
}

/// Prefix each row with its `No`.
fn numbered(rows: impl IntoIterator<Item = Vec<V>>) -> Vec<Line> {
    let rows = rows.into_iter().enumerate();
    rows.map(|(i, row)| Line::Row([vec![n(i as f64 + 1.0)], row].concat()))
        .collect()
}

fn profil(tw: u32) -> Sheet {
    let names = "No|Kode BLKK|Nama BLKK|Lembaga Pengelola|Jenis Lembaga|Alamat|Desa/Kelurahan|Kecamatan|Tahun\nBerdiri|Kejuruan|Sarana Utama|Nama Pengelola|No. HP\nPengelola|Email|Jumlah\nInstruktur|Status";
    let mut names: Vec<String> = names.split('|').map(str::to_owned).collect();
    let mut lines = titles("DATA PROFIL BLK KOMUNITAS", tw, 4);
    lines.extend([Line::Blank, Line::Blank]);
    let mut rows: Vec<Vec<V>> = BLKKS.lines().map(cells).collect();
    if tw == 1 {
        // TW1: `No.`, one-line headers, Email before the phone; seven BLKKs, all active.
        names = names.iter().map(|h| h.replace('\n', " ")).collect();
        names[0] = "No.".into();
        names.swap(12, 13);
        rows.truncate(7);
        for row in &mut rows {
            row.swap(11, 12);
            row[14] = t("Aktif");
        }
    }
    lines.push(Line::Header(names));
    lines.extend(numbered(rows));
    lines.push(Line::Signature(vec![
        "Tangerang, 8 Juli 2025".into(),
        "Sekretaris FK-BLKK".into(),
        "( Sekretaris Forum (fiktif) )".into(),
    ]));
    Sheet::new("Profil BLKK", 16, lines)
}

/// `Pelatihan` (two-row header, `JUMLAH` row): `only` lists some batches (the revision, where
/// `revised` fixes 008's count).
fn pelatihan(tw: u32, only: Option<&[usize]>, revised: bool) -> Sheet {
    let people = people();
    let blkks: Vec<Vec<V>> = BLKKS.lines().map(cells).collect();
    let mut lines = titles("REKAPITULASI DATA PELATIHAN BLK KOMUNITAS", tw, 3);
    lines.push(Line::Blank);
    let single = |s: &str| (s.to_owned(), Vec::new());
    let mut groups: Vec<(String, Vec<String>)> =
        "No|Kode Pelatihan|Kode BLKK|Nama BLKK|Kejuruan|Program Pelatihan|Angkatan"
            .split('|')
            .map(single)
            .collect();
    groups.push(("Tanggal".into(), vec!["Mulai".into(), "Selesai".into()]));
    groups.push(single("Jumlah\nJP"));
    groups.push((
        "Jumlah Peserta".into(),
        vec!["L".into(), "P".into(), "Jml".into()],
    ));
    groups.extend(["Sumber Dana", "Status", "Instruktur", "Keterangan"].map(single));
    if tw == 1 {
        groups.retain(|g| g.0 != "Instruktur"); // TW1's template had no instructor column.
    }
    lines.push(Line::Grouped(groups));
    let listed = only.map_or_else(
        || (0..if tw == 1 { 4 } else { 8 }).collect(),
        <[usize]>::to_vec,
    );
    let first = rows_of(&lines) + 1;
    let mut sums = [0.0; 3];
    let mut rows = Vec::new();
    for &b in &listed {
        let batch = cells(BATCHES.lines().nth(b).unwrap_or_default());
        let blkk = &blkks[BATCHES
            .lines()
            .nth(b)
            .and_then(|l| l.split('|').nth(1)?.parse::<usize>().ok())
            .unwrap_or_default()];
        let size = people[b].len() - usize::from(tw == 2 && b == 3);
        let men = people[b]
            .iter()
            .take(size)
            .filter(|p| p[2] == t("L"))
            .count() as f64;
        let counts = match (b, revised) {
            (6, _) => [None; 3],
            (7, false) => [
                Some(men),
                Some(size as f64 - men + 1.0),
                Some(size as f64 + 1.0),
            ],
            _ => [Some(men), Some(size as f64 - men), Some(size as f64)],
        };
        for (sum, x) in sums.iter_mut().zip(counts) {
            *sum += x.unwrap_or_default();
        }
        let status = if tw == 1 && b == 3 {
            t("Berjalan")
        } else {
            batch[9].clone()
        };
        let mut row = vec![batch[0].clone(), blkk[0].clone(), blkk[1].clone()];
        row.extend(batch[2..8].iter().cloned());
        row.extend(counts.map(|x| x.map_or(V::Empty, n)));
        row.extend([batch[8].clone(), status]);
        if tw != 1 {
            row.push(batch[10].clone());
        }
        row.push(batch[11].clone());
        rows.push(row);
    }
    lines.extend(numbered(rows));
    let last = first + listed.len() as u32 - 1;
    let sum =
        |col: &str, cached: f64| V::Formula(format!("=SUM({col}{first}:{col}{last})"), cached);
    lines.push(Line::Total(
        10,
        vec![sum("K", sums[0]), sum("L", sums[1]), sum("M", sums[2])],
    ));
    lines.push(signature("Sekretaris FK-BLKK"));
    Sheet::new("Pelatihan", 17, lines)
}

/// `Peserta`: TW1 with aliases and plain rows; TW2 with an unknown column, the column-number
/// row, merged batch codes and blank rows inside and between batches.
fn peserta(tw: u32, only: Option<&[usize]>, revised: bool) -> Sheet {
    let people = people();
    let mut lines = titles("REKAPITULASI DATA PESERTA BLK KOMUNITAS", tw, 3);
    lines.push(Line::Blank);
    let names = if tw == 1 { PESERTA_TW1 } else { PESERTA };
    let mut names: Vec<&str> = names.split('|').collect();
    if tw != 1 {
        names.push("Ukuran Baju");
    }
    lines.push(header(&names));
    if tw != 1 {
        lines.push(Line::Numbers(names.len()));
    }
    let listed = only.map_or_else(
        || (0..if tw == 1 { 4 } else { 8 }).collect(),
        <[usize]>::to_vec,
    );
    let mut no = 0;
    for &b in &listed {
        let code = BATCHES
            .lines()
            .nth(b)
            .and_then(|l| l.split('|').next())
            .unwrap_or_default();
        let mut rows: Vec<Option<Vec<V>>> = Vec::new();
        for (i, person) in people[b].iter().enumerate() {
            if tw == 2 && b == 3 && i == 9 {
                continue; // TW2 drops a participant TW1 listed for PLT-2025-004.
            }
            no += 1;
            let status = if tw == 1 && b == 3 {
                "Sedang Pelatihan"
            } else {
                result(b, i, revised)
            };
            let certificate = if status == "Lulus" && b < 2 {
                format!("SP/{code}/{:03}", i + 1)
            } else {
                String::new()
            };
            let mut row = vec![n(no as f64), t(code)];
            row.extend(person.iter().cloned());
            row.extend([t(status), t(&certificate), V::Empty]);
            if tw != 1 {
                row.push(t(["S", "M", "L", "XL"][i % 4]));
            }
            rows.push(Some(row));
        }
        if tw == 1 {
            lines.extend(rows.into_iter().flatten().map(Line::Row));
        } else {
            if rows.len() > 4 {
                rows.insert(4, None); // A blank row inside the merged block.
            }
            lines.push(Line::Block(1, rows));
        }
        lines.push(Line::Blank);
    }
    lines.push(signature("Mengetahui, Ketua FK-BLKK"));
    Sheet::new("Peserta", names.len(), lines)
}

fn alumni(tw: u32) -> Sheet {
    let people = people();
    let mut lines = titles("DATA PENELUSURAN ALUMNI BLK KOMUNITAS", tw, 2);
    lines.push(Line::Blank);
    lines.push(header(&[
        "No",
        "Kode Pelatihan",
        "Nama Alumni",
        "NIK",
        "Status Alumni",
        "Nama Usaha /\nTempat Kerja",
        "Jenis Usaha /\nJabatan",
        "Omzet per Bulan\n(Rp)",
        "Tanggal Pendataan",
        "Keterangan",
    ]));
    let table = if tw == 1 { ALUMNI_TW1 } else { ALUMNI_TW2 };
    let rows = table.lines().map(|line| {
        let fields: Vec<&str> = line.split('|').collect();
        let (b, i): (usize, usize) = (
            fields[0].parse().unwrap_or_default(),
            fields[1].parse().unwrap_or_default(),
        );
        let person = &people[b][i];
        let nik = match &person[1] {
            V::Text(s) => t(&s.replace([' ', '\''], "")),
            other => other.clone(),
        };
        let code = BATCHES
            .lines()
            .nth(b)
            .and_then(|l| l.split('|').next())
            .unwrap_or_default();
        let mut row = vec![t(code), person[0].clone(), nik];
        row.extend(fields[2..].iter().map(|f| c(f)));
        row.push(V::Empty);
        row
    });
    lines.extend(numbered(rows));
    Sheet::new("Alumni", 10, lines)
}

fn kemitraan(tw: u32) -> Sheet {
    let mut lines = titles("DATA KEMITRAAN BLK KOMUNITAS", tw, 3);
    lines.push(Line::Blank);
    lines.push(header(&[
        "No",
        "Kode BLKK",
        "Nama Mitra",
        "Jenis Mitra",
        "Bentuk Kerja Sama",
        "Nomor Dokumen",
        "Tanggal",
        "Ruang Lingkup",
        "Bentuk Dukungan",
        "Status",
    ]));
    let count = if tw == 1 { 2 } else { 4 };
    lines.extend(numbered(PARTNERS.lines().take(count).map(cells)));
    Sheet::new("Kemitraan", 10, lines)
}

/// The three workbooks' file names, oldest first.
pub const FILES: [&str; 3] = [
    "Rekap_BLKK_KabTangerang_2025_TW1.xlsx",
    "Rekap_BLKK_KabTangerang_2025_TW2.xlsx",
    "Rekap_BLKK_KabTangerang_2025_TW2_revisi.xlsx",
];

/// The files the secretariat's folder also holds, which are not read.
pub const JUNK: [&str; 2] = [
    "~$Rekap_BLKK_KabTangerang_2025_TW2.xlsx",
    "Rekap_BLKK_KabTangerang_2025_TW1 (1).xlsx",
];

/// Write the sample folder into `dir`.
pub fn write(dir: &Path) {
    let around = |middle: Vec<Sheet>| {
        let mut sheets = template_sheets();
        let reference = sheets.pop().expect("Ref");
        sheets.extend(middle);
        sheets.push(reference);
        sheets
    };
    for tw in [1, 2] {
        let sheets = around(vec![
            profil(tw),
            pelatihan(tw, None, false),
            peserta(tw, None, false),
            alumni(tw),
            kemitraan(tw),
        ]);
        let modified = if tw == 1 {
            (2025, 4, 7, 2)
        } else {
            (2025, 7, 8, 2)
        };
        write_workbook(&dir.join(FILES[tw as usize - 1]), &sheets, modified);
    }
    // The revision re-sends only the corrected sheets: PLT-2025-008's count and one result.
    let sheets = around(vec![
        pelatihan(2, Some(&[7]), true),
        peserta(2, Some(&[7]), true),
    ]);
    write_workbook(&dir.join(FILES[2]), &sheets, (2025, 7, 10, 3));
    // Excel's lock file while TW2 was open, and a browser's download copy of TW1.
    std::fs::write(dir.join(JUNK[0]), [0x0b_u8; 165]).expect("write the lock file");
    std::fs::copy(dir.join(FILES[0]), dir.join(JUNK[1])).expect("copy TW1");
}
