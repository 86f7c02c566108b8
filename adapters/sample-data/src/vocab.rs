//! Word lists for synthetic people and organisations: Indonesian (Sundanese, Javanese, Arabic)
//! given and family names, birth places, street and hamlet names, and the parts of fictional
//! company names. Every company built from them ends in `(fiktif)`.

/// Male given names. `Mochamad`/`Muhammad`/`Mohamad` have abbreviations (see
/// [`abbreviation`]); a few carry an apostrophe.
pub const MALE_GIVEN: &[&str] = &[
    "Agus", "Ahmad", "Andi", "Ade", "Asep", "Bambang", "Budi", "Cecep", "Dadang", "Dede", "Deden",
    "Dedi", "Dimas", "Eko", "Endang", "Firman", "Galih", "Hendra", "Heri", "Iwan", "Irfan",
    "Jajang", "Joko", "Kurnia", "Mochamad", "Muhammad", "Mohamad", "Nanang", "Odih", "Rahmat",
    "Ridwan", "Rizki", "Rudi", "Ujang", "Wahyu", "Yayan", "Yusuf", "Hasan", "Ikhsan", "Aris",
    "Bayu", "Fajar", "Gilang", "Hadi", "Ilham", "Lukman", "Maman", "Nandang", "Ma'ruf", "Syafi'i",
    "Taufik", "Wawan", "Yogi", "Zaenal", "Supri", "Odang", "Jaka", "Rendi", "André",
];

/// Female given names.
pub const FEMALE_GIVEN: &[&str] = &[
    "Siti", "Sri", "Euis", "Nining", "Yati", "Intan", "Dewi", "Rina", "Nur", "Putri", "Ani", "Ai",
    "Cucu", "Dian", "Eneng", "Fitri", "Neneng", "Lilis", "Nurul", "Rosita", "Tuti", "Wati",
    "Yuyun", "Yayah", "Sumarni", "Ratna", "Rini", "Wulan", "Ayu", "Desi", "Elis", "Hani", "Iis",
    "Lina", "Mega", "Nia", "Rika", "Siska", "Tini", "Uum", "Sa'adah", "Imas", "Oom", "Désy",
];

/// Male family or second names.
pub const MALE_FAMILY: &[&str] = &[
    "Ramdani",
    "Gunawan",
    "Hidayat",
    "Sutisna",
    "Setiawan",
    "Saputra",
    "Maulana",
    "Iskandar",
    "Firmansyah",
    "Kurniawan",
    "Hermawan",
    "Nugraha",
    "Mulyana",
    "Supriatna",
    "Wijaya",
    "Hakiki",
    "Hamdani",
    "Kusnadi",
    "Rukmana",
    "Suryana",
    "Sopian",
    "Wahyudi",
    "Jaelani",
    "Hasanudin",
    "Rohman",
    "Permana",
    "Ruslan",
    "Syahputra",
    "Santoso",
    "Prasetyo",
    "Hidayatullah",
];

/// Female family or second names; those starting `Nur` are also written split
/// (`Nurhalimah` / `Nur Halimah`).
pub const FEMALE_FAMILY: &[&str] = &[
    "Nurhalimah",
    "Komalasari",
    "Rahayu",
    "Wahyuningsih",
    "Kurniasih",
    "Anggraini",
    "Rukayah",
    "Rosmiati",
    "Lestari",
    "Handayani",
    "Wulandari",
    "Nurjanah",
    "Fitriani",
    "Susanti",
    "Mulyani",
    "Rahmawati",
    "Permatasari",
    "Maryati",
    "Suryani",
    "Nuraeni",
    "Nurlaela",
    "Maesaroh",
];

/// The abbreviation a clerk might type for a given name (`Mochamad` → `Moch.`).
pub fn abbreviation(given: &str) -> Option<&'static str> {
    match given {
        "Mochamad" => Some("Moch."),
        "Muhammad" => Some("M."),
        "Mohamad" => Some("Moh."),
        _ => None,
    }
}

/// The split spelling of a `Nur…` name (`Nurhalimah` → `Nur Halimah`).
pub fn split_spelling(name: &str) -> Option<String> {
    let rest = name.strip_prefix("Nur")?;
    let mut chars = rest.chars();
    let first = chars.next()?;
    if !first.is_lowercase() {
        return None;
    }
    Some(format!("Nur {}{}", first.to_uppercase(), chars.as_str()))
}

/// Places of birth (as people write them on forms).
pub const BIRTH_PLACES: &[&str] = &[
    "Lebak",
    "Serang",
    "Pandeglang",
    "Tangerang",
    "Cilegon",
    "Bekasi",
    "Jakarta",
    "Karawang",
    "Bogor",
    "Indramayu",
    "Tegal",
    "Brebes",
    "Cirebon",
    "Garut",
    "Kuningan",
    "Sukabumi",
];

/// Street names (flowers) for urban addresses.
pub const STREETS: &[&str] = &[
    "Kenanga",
    "Mawar",
    "Melati",
    "Teratai",
    "Anggrek",
    "Cempaka",
    "Flamboyan",
    "Bougenvil",
    "Kemuning",
    "Nusa Indah",
    "Dahlia",
    "Seroja",
];

/// Hamlet (*kampung*) names for rural addresses.
pub const HAMLETS: &[&str] = &[
    "Babakan",
    "Bojong",
    "Cibeureum",
    "Sukamaju",
    "Pasirhuni",
    "Leuwidamar",
    "Cikadu",
    "Cijeruk",
    "Kaum",
    "Pabuaran",
    "Cipanas Girang",
    "Pasirjati",
    "Cikoneng",
    "Kadu",
    "Cilaban",
    "Pasanggrahan",
];

/// Adjectives of fictional company names.
pub const COMPANY_WORDS: &[&str] = &[
    "Sejahtera",
    "Abadi",
    "Jaya",
    "Makmur",
    "Sentosa",
    "Lestari",
    "Berkah",
    "Mandiri",
    "Nusantara",
    "Utama",
    "Raya",
    "Bersama",
    "Anggun",
    "Cahaya",
    "Perkasa",
    "Gemilang",
];

/// Place words of fictional company names.
pub const COMPANY_PLACES: &[&str] = &[
    "Banten",
    "Maja",
    "Rangkas",
    "Cikupa",
    "Bekasi",
    "Cilegon",
    "Serang",
    "Tangerang",
    "Pesisir",
    "Cikarang",
    "Balaraja",
    "Tigaraksa",
];

/// Employers for people's last job, by no particular field.
pub const GENERIC_SECTORS: &[&str] = &[
    "Sepatu",
    "Plastik",
    "Garmen",
    "Makanan",
    "Logistik",
    "Elektronik",
    "Kemasan",
    "Baja",
];

/// Kinds of disability recorded at BBPLK (health data: specific personal data).
pub const DISABILITIES: &[&str] = &[
    "Disabilitas fisik",
    "Disabilitas sensorik (rungu)",
    "Disabilitas sensorik (netra)",
    "Disabilitas intelektual",
];

/// Lower-case ASCII letters of a name, for e-mail addresses (`Ma'ruf` → `maruf`).
pub fn ascii_lower(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'é' | 'É' => Some('e'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        assert_eq!(split_spelling("Nurhalimah").as_deref(), Some("Nur Halimah"));
        assert_eq!(split_spelling("Nur"), None);
        assert_eq!(split_spelling("Rahayu"), None);
        assert_eq!(ascii_lower("Ma'ruf"), "maruf");
        assert_eq!(ascii_lower("André"), "andre");
        assert_eq!(abbreviation("Mochamad"), Some("Moch."));
    }
}
