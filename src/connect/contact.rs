//! `Contact`: the Connect XML address block (invoice, delivery and order addresses).
use super::node::Node;
use super::value::text;

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
        Contact {
            title: text(node, "Title"),
            forename: text(node, "Forename"),
            middlename: text(node, "Middlename"),
            surname: text(node, "Surname"),
            suffix: text(node, "Suffix"),
            company: text(node, "Company"),
            address1: text(node, "Address1"),
            address2: text(node, "Address2"),
            address3: text(node, "Address3"),
            town: text(node, "Town"),
            postcode: text(node, "Postcode").or_else(|| text(node, "PostCode")),
            county: text(node, "County"),
            country: text(node, "Country"),
            telephone: text(node, "Telephone"),
            fax: text(node, "Fax"),
            mobile: text(node, "Mobile"),
            email: text(node, "Email"),
            website: text(node, "Website"),
            trade_contact: text(node, "TradeContact"),
        }
    }

    /// Title, Forename, Middlename, Surname and Suffix joined by single spaces.
    pub fn full_name(&self) -> Option<String> {
        join(
            [
                &self.title,
                &self.forename,
                &self.middlename,
                &self.surname,
                &self.suffix,
            ],
            " ",
        )
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
            && self.full_name().is_none()
    }
}

fn join<const N: usize>(parts: [&Option<String>; N], sep: &str) -> Option<String> {
    let kept: Vec<&str> = parts.iter().filter_map(|p| p.as_deref()).collect();
    (!kept.is_empty()).then(|| kept.join(sep))
}
