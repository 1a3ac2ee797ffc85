//! `Contact`: the Connect XML address block (invoice, delivery and order addresses).
use super::fields::Fields;
use super::node::Node;

/// The elements of an address block, one slot each (see [`slot`]).
const SLOTS: [&str; 20] = [
    "Title",
    "Forename",
    "Middlename",
    "Surname",
    "Suffix",
    "Company",
    "Address1",
    "Address2",
    "Address3",
    "Town",
    "Postcode",
    "PostCode",
    "County",
    "Country",
    "Telephone",
    "Fax",
    "Mobile",
    "Email",
    "Website",
    "TradeContact",
];

/// The slots of [`SLOTS`] by name, in the same order.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Title,
    Forename,
    Middlename,
    Surname,
    Suffix,
    Company,
    Address1,
    Address2,
    Address3,
    Town,
    Postcode,
    PostCode,
    County,
    Country,
    Telephone,
    Fax,
    Mobile,
    Email,
    Website,
    TradeContact,
}

/// The slot of element `name` in [`SLOTS`].
fn slot(name: &str) -> Option<usize> {
    Some(match name {
        "Title" => 0,
        "Forename" => 1,
        "Middlename" => 2,
        "Surname" => 3,
        "Suffix" => 4,
        "Company" => 5,
        "Address1" => 6,
        "Address2" => 7,
        "Address3" => 8,
        "Town" => 9,
        "Postcode" => 10,
        "PostCode" => 11,
        "County" => 12,
        "Country" => 13,
        "Telephone" => 14,
        "Fax" => 15,
        "Mobile" => 16,
        "Email" => 17,
        "Website" => 18,
        "TradeContact" => 19,
        _ => return None,
    })
}

/// An address block; every field is optional text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    /// `Title`
    pub title: Option<String>,
    /// `Forename`
    pub forename: Option<String>,
    /// `Middlename`
    pub middlename: Option<String>,
    /// `Surname`
    pub surname: Option<String>,
    /// `Suffix`
    pub suffix: Option<String>,
    /// `Company`
    pub company: Option<String>,
    /// `Address1`
    pub address1: Option<String>,
    /// `Address2`
    pub address2: Option<String>,
    /// `Address3`
    pub address3: Option<String>,
    /// `Town`
    pub town: Option<String>,
    /// `Postcode` (also `PostCode`, as in the ACT! sample)
    pub postcode: Option<String>,
    /// `County`
    pub county: Option<String>,
    /// `Country` (ISO code)
    pub country: Option<String>,
    /// `Telephone`
    pub telephone: Option<String>,
    /// `Fax`
    pub fax: Option<String>,
    /// `Mobile`
    pub mobile: Option<String>,
    /// `Email`
    pub email: Option<String>,
    /// `Website`
    pub website: Option<String>,
    /// `TradeContact`
    pub trade_contact: Option<String>,
}

impl Contact {
    /// Reads an address block.
    pub fn from_node(node: &Node) -> Contact {
        use Slot as S;
        let f = Fields::<{ SLOTS.len() }>::collect(node, slot);
        let t = |s: Slot| f.text(s as usize);
        Contact {
            title: t(S::Title),
            forename: t(S::Forename),
            middlename: t(S::Middlename),
            surname: t(S::Surname),
            suffix: t(S::Suffix),
            company: t(S::Company),
            address1: t(S::Address1),
            address2: t(S::Address2),
            address3: t(S::Address3),
            town: t(S::Town),
            postcode: t(S::Postcode).or_else(|| t(S::PostCode)),
            county: t(S::County),
            country: t(S::Country),
            telephone: t(S::Telephone),
            fax: t(S::Fax),
            mobile: t(S::Mobile),
            email: t(S::Email),
            website: t(S::Website),
            trade_contact: t(S::TradeContact),
        }
    }

    /// Title, Forename, Middlename, Surname and Suffix joined by single spaces.
    pub fn full_name(&self) -> Option<String> {
        join(self.full_name_parts(), " ")
    }

    /// The parts of [`Contact::full_name`], in order.
    fn full_name_parts(&self) -> [&Option<String>; 5] {
        [
            &self.title,
            &self.forename,
            &self.middlename,
            &self.surname,
            &self.suffix,
        ]
    }

    /// Forename then Surname.
    pub fn forename_surname(&self) -> Option<String> {
        join([&self.forename, &self.surname], " ")
    }

    /// Surname then Forename.
    pub fn surname_forename(&self) -> Option<String> {
        join([&self.surname, &self.forename], " ")
    }

    /// Address line 3 as Sage stores it: `Address3, Town` joined (either alone when the other is missing).
    pub fn line3(&self) -> Option<String> {
        join([&self.address3, &self.town], ", ")
    }

    /// True when no address line, town or postcode is given.
    pub fn is_blank(&self) -> bool {
        [
            &self.address1,
            &self.address2,
            &self.address3,
            &self.town,
            &self.postcode,
            &self.company,
        ]
        .iter()
        .all(|f| f.is_none())
            && self.full_name_parts().iter().all(|f| f.is_none())
    }
}

fn join<const N: usize>(parts: [&Option<String>; N], sep: &str) -> Option<String> {
    let mut joined: Option<String> = None;
    for part in parts.iter().filter_map(|p| p.as_deref()) {
        match &mut joined {
            Some(s) => {
                s.push_str(sep);
                s.push_str(part);
            }
            None => joined = Some(part.to_string()),
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_name_maps_to_its_own_slot() {
        for (i, name) in SLOTS.iter().enumerate() {
            assert_eq!(slot(name), Some(i), "{name}");
        }
        assert_eq!(Slot::TradeContact as usize, SLOTS.len() - 1);
        assert_eq!(SLOTS[Slot::PostCode as usize], "PostCode");
        assert_eq!(SLOTS[Slot::Town as usize], "Town");
        assert_eq!(slot("Unknown"), None);
    }

    #[test]
    fn postcode_falls_back_to_the_act_spelling() {
        let node = Node::new("A")
            .with(Node::leaf("PostCode", "LS1"))
            .with(Node::leaf("Town", " Leeds "));
        let c = Contact::from_node(&node);
        assert_eq!(c.postcode.as_deref(), Some("LS1"));
        assert_eq!(c.town.as_deref(), Some("Leeds"));
        assert_eq!(c.surname, None);
    }
}
